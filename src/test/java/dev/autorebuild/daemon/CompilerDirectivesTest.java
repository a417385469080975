package dev.autorebuild.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The daemon's compiler directives in a real JVM: it must accept the file (a file it cannot read stops it
 * from starting at all), give the JDK's SHA-256 to C2, and keep C2 off a hot method outside the list.
 */
class CompilerDirectivesTest {

    @Test
    void theFileIsWrittenIntoTheStateFolderAndRestoredWhenChanged(@TempDir Path workspace) throws Exception {
        DabDir dab = DabDir.of(workspace);
        Files.createDirectories(dab.dir());
        Path file = dab.dir().resolve("compiler-directives.json");
        assertEquals(List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + file), CompilerDirectives.options(dab));
        String written = Files.readString(file);
        assertTrue(written.contains("\"sun/security/provider/SHA2.*\"") && written.contains("c2: { Exclude: true }"), written);
        Files.writeString(file, "[\n  { match: [\"sun/secur"); // cut short: the JVM would refuse to start on it
        CompilerDirectives.options(dab);
        assertEquals(written, Files.readString(file));
        try (var left = Files.list(dab.dir())) {
            assertEquals(List.of(file), left.toList(), "no temporary file stays");
        }
    }

    @Test
    void withoutAStateFolderToWriteInTheDaemonGetsNoDirectives(@TempDir Path workspace) throws Exception {
        DabDir dab = DabDir.of(workspace);
        Files.writeString(dab.dir(), "a file where the folder should be");
        assertEquals(List.of(), CompilerDirectives.options(dab));
    }

    @Test
    void theJvmTakesTheDirectivesAndC2CompilesOnlyTheHashing(@TempDir Path workspace) throws Exception {
        DabDir dab = DabDir.of(workspace);
        Files.createDirectories(dab.dir());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(CompilerDirectives.options(dab));
        command.addAll(List.of("-XX:+PrintCompilation", "-cp", System.getProperty("java.class.path"), CompilerDirectivesProbe.class.getName()));
        // into a file, not a pipe: PrintCompilation writes more than a pipe holds, and a hung child must
        // fail the test at the deadline rather than block a read for ever
        Path log = workspace.resolve("probe.log");
        Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        boolean ended = child.waitFor(60, TimeUnit.SECONDS);
        if (!ended) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, "the probe ended within 60 s:\n" + output);
        assertEquals(0, child.exitValue(), output);
        List<String> lines = output.lines().toList();
        assertTrue(lines.contains("2 compiler directives added"), "the JVM read both directives:\n" + head(lines));
        // anywhere in a line: the JVM writes a PrintCompilation line in pieces from its compiler threads,
        // and the probe's one write can land between two of them (seen in CI: the probe had ended, 0)
        assertTrue(lines.stream().anyMatch(l -> l.matches(".*done 32 -?\\d+.*")), "the probe ran to its end:\n" + head(lines)
                + "\nlines with 'done':\n" + compiled(lines, "done"));
        // PrintCompilation's columns: time, id, flags, tier, method; tier 4 is C2
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+sun\\.security\\.provider\\.(DigestBase|SHA2)::.*")),
                "C2 compiled the SHA-256 code:\n" + compiled(lines, "sun.security.provider"));
        assertTrue(lines.stream().anyMatch(l -> l.contains("CompilerDirectivesProbe::hotLoop") && l.contains("made not compilable on level 4")),
                "C2 left the probe's own hot loop alone:\n" + compiled(lines, "CompilerDirectivesProbe"));
        assertTrue(lines.stream().noneMatch(l -> l.matches("\\s*\\d+\\s+\\d+\\s+[%sbn! ]*4\\s+dev\\.autorebuild\\.daemon\\..*")),
                "no C2 code for a class outside the list:\n" + compiled(lines, "CompilerDirectivesProbe"));
    }

    private static String head(List<String> lines) {
        return String.join("\n", lines.subList(0, Math.min(20, lines.size())));
    }

    private static String compiled(List<String> lines, String what) {
        return String.join("\n", lines.stream().filter(l -> l.contains(what)).limit(30).toList());
    }
}
