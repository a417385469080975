package dev.autorebuild.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon JVM's options kept beside the jar for bin/auto-rebuild, read back by a real JVM. */
class DaemonArgFileTest {
    private static final List<String> OPTIONS = List.of("-XX:+UseSerialGC", "-Dquarkus.log.console.format=%d{HH:mm:ss.SSS} %-5p # %s%e%n",
            "-Dodd.path=/a folder/with \"quotes\" and a \\ backslash");

    @Test
    void eachOptionReachesTheJvm_asGiven_afterTheCompilerDirectives(@TempDir Path app) throws Exception {
        Path jar = jarBuiltAt(app, 1_700_000_000L);
        Optional<Path> file = DaemonArgFile.written(jar, OPTIONS);
        assertThat(file).contains(app.resolve("daemon-1700000000.args"));
        Path directives = app.resolve("daemon-1700000000.directives.json");
        assertThat(directives).as("the directives the file names, beside it").isRegularFile();

        List<String> read = optionsTheJvmRead(file.get());
        assertThat(read).containsSubsequence("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + directives,
                OPTIONS.get(0), OPTIONS.get(1), OPTIONS.get(2));
    }

    @Test
    void aFileThatDiffers_isReplacedWhole(@TempDir Path app) throws Exception {
        Path jar = jarBuiltAt(app, 1_700_000_000L);
        Path file = DaemonArgFile.written(jar, OPTIONS).orElseThrow();
        String whole = Files.readString(file);
        Files.writeString(file, "\"-XX:+UseSerialGC\"\n\"-Dquarkus.log"); // cut short
        assertThat(DaemonArgFile.written(jar, OPTIONS)).contains(file);
        assertThat(Files.readString(file)).isEqualTo(whole);
        try (var left = Files.list(app)) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no temporary file stays").noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aNewBuildOfTheJar_getsAFileOfItsOwn(@TempDir Path app) throws Exception {
        Path jar = jarBuiltAt(app, 1_700_000_000L);
        DaemonArgFile.written(jar, OPTIONS);
        Files.setLastModifiedTime(jar, FileTime.fromMillis(1_700_000_777_000L));
        assertThat(DaemonArgFile.written(jar, OPTIONS)).contains(app.resolve("daemon-1700000777.args"));
    }

    @Test
    void whereNothingCanBeWritten_thereIsNoFile_andTheLauncherPassesTheOptionsItself(@TempDir Path app) throws Exception {
        Path jar = jarBuiltAt(app, 1_700_000_000L);
        Files.createDirectories(app.resolve("daemon-1700000000.args").resolve("taken")); // a folder where the file should be
        assertThat(DaemonArgFile.written(jar, OPTIONS)).isEmpty();
    }

    private static Path jarBuiltAt(Path app, long epochSeconds) throws Exception {
        Path jar = Files.writeString(app.resolve("quarkus-run.jar"), "not read here");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(epochSeconds * 1000 + 400));
        return jar;
    }

    private static List<String> optionsTheJvmRead(Path argFile) throws Exception {
        Path out = argFile.resolveSibling("probe.out");
        Process probe = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "@" + argFile,
                "-cp", System.getProperty("java.class.path"), ArgFileProbe.class.getName())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).as("the probe ended").isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        assertThat(probe.exitValue()).as(output).isZero();
        return output.lines().filter(l -> l.startsWith("option ")).map(l -> l.substring("option ".length())).toList();
    }
}
