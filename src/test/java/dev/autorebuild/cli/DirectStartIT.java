package dev.autorebuild.cli;

import dev.autorebuild.support.Command;
import dev.autorebuild.support.PackagedApp;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * bin/auto-rebuild's own start of the daemon, with no launcher JVM on the way: once a start has written the
 * daemon's options beside the jar ({@code daemon-STAMP.args}), the script starts the daemon itself and reads
 * how its start went from a pipe ({@code StartReport}). Whatever happens, it says what the launcher JVM
 * ({@code java -jar}) says, and leaves what that leaves.
 */
class DirectStartIT extends DaemonProcessTest {
    private Path argFile;

    @BeforeEach
    void theDaemonsOptionsForThisBuild() throws Exception {
        String stamp = Long.toString(Files.getLastModifiedTime(PackagedApp.JAR).toMillis() / 1000);
        argFile = PackagedApp.JAR.resolveSibling("daemon-" + stamp + ".args");
        if (!Files.exists(argFile)) { // the launcher JVM writes it at its first start of this build
            long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
            assertThat(app.run(dir, "-s", "quit", "-t", ws.root().toString()).out()).contains("daemon " + pid + " has ended");
        }
        assertThat(argFile).as("written by the launcher JVM's start").isRegularFile();
    }

    @Test
    void aStart_runsTheDaemonFromTheScript_andSaysWhatTheLauncherJvmSays() throws Exception {
        PackagedApp.Result viaJvm = app.run(dir, "-t", ws.root().toString());
        long jvmStarted = pidOf(viaJvm);
        assertThat(app.run(dir, "-s", "quit", "-t", ws.root().toString()).exitCode()).isZero();

        PackagedApp.Result direct = app.runLauncher(dir, "-t", ws.root().toString());
        long pid = pidOf(direct);
        assertThat(direct.exitCode()).as(direct.toString()).isZero();
        assertThat(direct.err()).isEmpty();
        assertThat(direct.out()).isEqualTo(viaJvm.out().replace("daemon " + jvmStarted + " ", "daemon " + pid + " "));

        String commandLine = Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        assertThat(commandLine).as("started by the script, from the options file")
                .contains("@" + argFile + " ", " -t " + ws.root() + " --foreground --detached --report-fd 3");
        assertThat(sessionOf(pid)).as("a session of its own").isEqualTo(pid);
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "0"))).isEqualTo(Path.of("/dev/null"));
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "1"))).isEqualTo(log());
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "fd", "2"))).isEqualTo(log());
        assertThat(mode(log())).isEqualTo("rw-r-----");
        assertThat(Command.run(Duration.ofSeconds(30), "jcmd", Long.toString(pid), "VM.flags").output())
                .as("the JVM runs with the file's options").contains("-XX:+UseSerialGC", "-XX:MaxHeapFreeRatio=40");

        PackagedApp.Result status = app.runLauncher(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.exitCode()).as("it answers as soon as the start returns: %s", status).isZero();
        assertThat(status.out()).startsWith("daemon " + pid + " watching " + ws.root());
    }

    @Test
    void relativePaths_areReadAsTheLauncherJvmReadsThem() throws Exception {
        // a space and a quote in the name too: the script hands each path on as one argument
        Path settings = Files.createDirectories(dir.resolve("shop's settings")).resolve("shop.yml");
        Files.writeString(settings, "debounce:\n  quiet-period: 123ms\n");
        PackagedApp.Result direct = app.runLauncher(settings.getParent(), "--target", "../demo/./", "-c", "../shop's settings/./../shop's settings/shop.yml");
        assertThat(direct.exitCode()).as(direct.toString()).isZero();
        assertThat(direct.out()).startsWith("auto-rebuild: daemon " + pidOf(direct) + " is watching " + ws.root() + "\n");
        assertThat(app.runLauncher(dir, "-s", "status", "-t", ws.root().toString()).out()).contains("configuration: " + settings);
    }

    @Test
    void anInvalidDabYml_isRefusedInTheLauncherJvmsWords_andNothingWatches() throws Exception {
        ws.write("dab.yml", "build:\n  paralelism: 3\n");
        PackagedApp.Result direct = app.runLauncher(dir, "-t", ws.root().toString());
        PackagedApp.Result viaJvm = app.run(dir, "-t", ws.root().toString());
        assertThat(direct.exitCode()).as(direct.toString()).isEqualTo(1);
        assertThat(direct.err()).as(direct.toString()).startsWith("auto-rebuild: the configuration is invalid; nothing was started:\n"
                + ws.root().resolve("dab.yml") + ":2:3: unknown key 'paralelism'").isEqualTo(viaJvm.err());
        assertThat(direct.out()).isEmpty();
        assertThat(Command.run(Duration.ofSeconds(30), "pgrep", "-fa", "--", "-t " + ws.root() + " --foreground").output()).as("no daemon runs").isBlank();
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).doesNotExist();
    }

    @Test
    void anEngineThatDoesNotAnswer_isExplainedAsTheLauncherJvmExplainsIt() throws Exception {
        PackagedApp.Result direct = app.runLauncherWith(Map.of("DOCKER_HOST", "tcp://127.0.0.1:1"), dir, "-t", ws.root().toString());
        assertThat(direct.exitCode()).as(direct.toString()).isZero();
        assertThat(direct.out()).contains("is watching " + ws.root(), "\nauto-rebuild: no Docker engine answers at tcp://127.0.0.1:1: connection refused.\n",
                "  To fix it: start the engine", "(auto-rebuild -s status shows the engine's state).\n");
    }

    @Test
    void aDaemonThatDiesWhileStarting_isReportedAtOnce_withThisStartsLinesOfItsLog() throws Exception {
        Files.createDirectories(log().getParent());
        Files.writeString(log(), "a line an earlier daemon wrote\n");
        PackagedApp.Result direct = app.runLauncherWith(Map.of("AUTO_REBUILD_DAEMON_JAVA_OPTS", "-Xmx1k"), dir, "-t", ws.root().toString());
        assertThat(direct.exitCode()).as(direct.toString()).isEqualTo(1);
        assertThat(direct.err()).as(direct.toString()).matches("(?s)auto-rebuild: the daemon \\(pid \\d+\\) ended while starting\n"
                + "last lines of " + java.util.regex.Pattern.quote(log().toString()) + ":\n  Error occurred during initialization of VM\n.*")
                .doesNotContain("an earlier daemon");
    }

    @Test
    void aWorkspaceAlreadyWatched_isSaidSo_withoutASecondDaemon() throws Exception {
        long pid = pidOf(app.runLauncher(dir, "-t", ws.root().toString()));
        PackagedApp.Result again = app.runLauncher(dir, "-t", ws.root().toString());
        assertThat(again.exitCode()).as(again.toString()).isEqualTo(1);
        assertThat(again.err()).isEqualTo("auto-rebuild: " + ws.root() + " is already watched by daemon " + pid + "; see it with 'auto-rebuild -s status -t "
                + ws.root() + "', end it with 'auto-rebuild -s quit -t " + ws.root() + "'\n");
        assertThat(Command.run(Duration.ofSeconds(30), "pgrep", "-f", "--", "-t " + ws.root() + " --foreground").output().strip())
                .isEqualTo(Long.toString(pid));
    }

    @Test
    void aDescriptorTheCallerLeftOpen_isNotHeldByTheDaemon() throws Exception {
        Path held = dir.resolve("held-open");
        PackagedApp.Result direct = runScript("exec 7>" + quoted(held) + "; exec " + quoted(PackagedApp.LAUNCHER) + " -t " + quoted(ws.root()));
        long pid = pidOf(direct);
        List<String> open = new ArrayList<>();
        try (var fds = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            for (Path fd : fds.toList()) {
                try {
                    open.add(fd.getFileName() + " -> " + Files.readSymbolicLink(fd));
                } catch (java.nio.file.NoSuchFileException closedMeanwhile) {
                    // the JVM closed it while we listed
                }
            }
        }
        assertThat(open).as("the start's pipe is the daemon's only inherited descriptor beyond its standard ones")
                .noneMatch(line -> line.endsWith(held.toString())).anyMatch(line -> line.matches("3 -> pipe:\\[\\d+]"));
    }

    @Test
    void ctrlCWhileTheStartWaits_leavesTheDaemonToFinishStarting() throws Exception {
        ProcessBuilder start = new ProcessBuilder(PackagedApp.LAUNCHER.toString(), "-t", ws.root().toString()).directory(dir.toFile())
                .redirectOutput(dir.resolve("start.out").toFile()).redirectError(dir.resolve("start.err").toFile());
        start.environment().put("XDG_RUNTIME_DIR", app.runtimeDir().toString());
        Process script = start.start();
        await().atMost(Duration.ofSeconds(30)).alias("the daemon runs")
                .until(() -> !Command.run(Duration.ofSeconds(10), "pgrep", "-f", "--", "-t " + ws.root() + " --foreground").output().isBlank());
        assertThat(script.isAlive()).as("the start still waits for its daemon").isTrue();
        assertThat(Command.run(Duration.ofSeconds(10), "kill", "-INT", Long.toString(script.pid())).exitCode()).isZero();
        assertThat(script.waitFor()).as("the start ends on Ctrl-C").isNotZero();

        await().atMost(Duration.ofSeconds(60)).alias("the daemon watches all the same, its report read by no one").until(() ->
                app.run(dir, "-s", "status", "-t", ws.root().toString()).exitCode() == 0);
    }

    private PackagedApp.Result runScript(String script) throws Exception {
        Path out = dir.resolve("script.out");
        Path err = dir.resolve("script.err");
        ProcessBuilder bash = new ProcessBuilder("bash", "-c", script).directory(dir.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        bash.environment().put("XDG_RUNTIME_DIR", app.runtimeDir().toString());
        int exit = bash.start().waitFor();
        return new PackagedApp.Result(exit, Files.readString(out), Files.readString(err));
    }

    private static String quoted(Path path) {
        return "'" + path.toString().replace("'", "'\\''") + "'";
    }
}
