package dev.autorebuild.cli;

import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The packaged application as a user runs it: a real process, real files, the real engine, a real signal. */
class ForegroundProcessIT {
    @TempDir
    Path dir;
    private Process process;
    private Thread reader;
    private TestWorkspace ws;
    private final List<String> output = new CopyOnWriteArrayList<>();

    @AfterEach
    void tearDown() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (ws != null) {
            DockerEngine.removeImagesOf(ws.root());
        }
    }

    @Test
    void foreground_buildsOnStart_rebuildsOnSave_andStopsCleanlyOnSigterm() throws Exception {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.component("web");
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
        assertThat(jar).exists();

        start("java", "-jar", jar.toString(), "-t", ws.root().toString(), "-f");

        awaitLine("watching " + ws.root() + ": 1 component(s) web -> demo-web:latest");
        awaitLine("[web] built demo-web:latest");
        int before = countLines("[web] built demo-web:latest");

        ws.write("web/index.html", "saved by the test\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> countLines("[web] built demo-web:latest") > before);
        assertThat(DockerEngine.runIn("demo-web:latest", "cat /app/index.html")).isEqualTo("saved by the test");

        // SIGTERM, as systemd, docker stop or kill send. Not Process.destroy(): it also closes our end of
        // the child's output, and we want to read what the application says while stopping.
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits after SIGTERM; output:%n%s", String.join("\n", output)).isTrue();
        reader.join(5_000); // the reader ends at end of output: every line is in
        assertThat(process.exitValue()).as("a requested stop is a normal exit").isZero();
        assertThat(output).anyMatch(line -> line.contains("quit (SIGTERM): no longer watching " + ws.root()));
        assertThat(output).noneMatch(line -> line.contains("Exception"));
    }

    @Test
    void ctrlC_inTheForeground_isAQuit_thatLetsTheBuildInProgressFinish() throws Exception {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.write("slow/Dockerfile", "FROM busybox:stable\nRUN sleep 3 && echo slept > /slept" + TestWorkspace.uncached() + "\n");
        // perl resets SIGINT: under a script's background job the test JVM itself may inherit it ignored.
        start("perl", "-e", "$SIG{INT} = 'DEFAULT'; exec @ARGV", "java", "-jar", PackagedApp.JAR.toString(), "-t", ws.root().toString(), "-f");
        awaitLine("RUN sleep 3");

        assertThat(new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).start().waitFor()).isZero();

        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exits after the build; output:%n%s", String.join("\n", output)).isTrue();
        assertThat(process.exitValue()).isZero();
        assertThat(output).anyMatch(line -> line.contains("quit (Ctrl-C): no longer watching " + ws.root()
                + "; letting the build of slow finish (at most 2m) - Ctrl-C again cancels it"));
        assertThat(countLines("[slow] built demo-slow:latest")).isEqualTo(1);
        assertThat(DockerEngine.runIn("demo-slow:latest", "cat /slept")).isEqualTo("slept");
    }

    @Test
    void onATerminal_aLiveBlockShowsEachComponentsBuildStep_inColour() throws Exception {
        String out = runOnATerminal(java.util.Map.of());
        assertThat(out).contains(LiveLines.YELLOW).contains(LiveLines.GREEN + "✔" + LiveLines.RESET + " slow  idle      built");
    }

    @Test
    void onATerminal_NO_COLOR_keepsTheLiveBlock_withoutColour() throws Exception {
        String out = runOnATerminal(java.util.Map.of("NO_COLOR", "1"));
        assertThat(out).doesNotContainPattern("\u001b\\[[0-9;]*m").contains("✔ slow  idle      built");
    }

    /**
     * Runs the foreground daemon on a pseudo-terminal (util-linux's script), through one build that
     * takes two seconds, and returns everything the terminal received.
     */
    private String runOnATerminal(java.util.Map<String, String> env) throws Exception {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.write("slow/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN sleep 2" + TestWorkspace.uncached() + "\n");
        ProcessBuilder builder = new ProcessBuilder("script", "-qfec",
                "stty cols 120; exec java -jar " + PackagedApp.JAR + " -t " + ws.root() + " -f", "/dev/null").redirectErrorStream(true);
        builder.environment().put("TERM", "xterm");
        builder.environment().putAll(env);
        start(builder);
        // the block's line for the component, redrawn in place while it builds; no build output in the scrollback
        awaitLine("slow  building  Step 3/3 RUN sleep 2");
        awaitLine("slow  idle      built ");
        Long javaPid = process.descendants().filter(p -> p.info().command().orElse("").endsWith("java")).map(ProcessHandle::pid)
                .findFirst().orElseThrow();
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(javaPid)).start().waitFor()).isZero();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        reader.join(5_000);
        String out = String.join("\n", output);
        assertThat(out).contains("quit (SIGTERM): no longer watching").contains("\u001b[J")
                .doesNotContain("[slow]   #").doesNotContain("[slow]   Step");
        return out;
    }

    /**
     * The kernel's inotify watch limit, for real: in a user namespace of its own, user.max_inotify_watches
     * lowers the limit for this daemon alone, to 50 watches for a workspace of 80 folders. (Never
     * fs.inotify.max_user_watches: written as root, even from inside the namespace, it is the machine's.)
     */
    @Test
    void atTheKernelsWatchLimit_itSaysSoWithTheFix_andPollsInstead() throws Exception {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.component("web");
        for (int i = 0; i < 80; i++) {
            Files.createDirectories(ws.root().resolve("web/assets/d" + i));
        }
        startWithWatchLimit(50);
        awaitLine("the kernel's limit of watched folders is reached (fs.inotify.max_user_watches = ");
        awaitLine("this user namespace allows 50, user.max_inotify_watches, shared by every program of this user): "
                + "raise it, e.g. sudo sysctl fs.inotify.max_user_watches=524288");
        awaitLine("meanwhile the workspace is polled every 1s");
        awaitLine("[web] built demo-web:latest");
        aNewFileIsSeenByPollingAndBuilt("web/assets/d79/late.txt");
        assertThat(output).anyMatch(line -> line.contains("quit (SIGTERM): no longer watching"));
    }

    /** Folders created while watching can meet the limit too: the new folders' files must not be missed. */
    @Test
    void foldersCreatedPastTheKernelsWatchLimit_switchToPolling_andTheirFilesAreBuilt() throws Exception {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.component("web");
        startWithWatchLimit(50);
        awaitLine("[web] built demo-web:latest");
        assertThat(output).noneMatch(line -> line.contains("limit of watched folders"));

        for (int i = 0; i < 80; i++) {
            Files.createDirectories(ws.root().resolve("web/late/d" + i));
        }
        awaitLine("the kernel's limit of watched folders is reached (fs.inotify.max_user_watches = ");
        awaitLine("meanwhile the workspace is polled every 1s");
        aNewFileIsSeenByPollingAndBuilt("web/late/d79/new.txt");
    }

    /** Writes {@code path}, waits for the build that polling brings, checks the image holds it, then quits the daemon. */
    private void aNewFileIsSeenByPollingAndBuilt(String path) throws Exception {
        int before = countLines("[web] built demo-web:latest");
        ws.write(path, "seen by polling\n");
        await().atMost(Duration.ofSeconds(60)).until(() -> countLines("[web] built demo-web:latest") > before);
        assertThat(DockerEngine.runIn("demo-web:latest", "cat /app/" + path.substring("web/".length()))).isEqualTo("seen by polling");
        // unshare and sh exec: the process is the daemon itself
        assertThat(new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor()).isZero();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    }

    /** The daemon in the foreground, in a user namespace of its own whose inotify watch limit is {@code limit}. */
    private void startWithWatchLimit(int limit) throws IOException {
        // /proc/sys/user/max_inotify_watches is the namespace's own; fs.inotify.max_user_watches is the machine's
        // and must never be written by a test. unshare and sh exec: the process is the daemon itself.
        start(new ProcessBuilder("unshare", "--user", "--map-root-user", "sh", "-c", "echo " + limit
                + " > /proc/sys/user/max_inotify_watches && exec java -jar " + PackagedApp.JAR + " -t " + ws.root() + " -f")
                .redirectErrorStream(true));
    }

    @Test
    void logFormatJson_writesEveryLogLineAsAJsonObject() throws Exception {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.component("web");
        ws.write("dab.yml", "log:\n  format: json\n");
        start("java", "-jar", PackagedApp.JAR.toString(), "-t", ws.root().toString(), "-f");
        awaitLine("[web] built demo-web:latest");
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : output) {
            var node = json.readTree(line);
            assertThat(node.isObject()).as(line).isTrue();
            assertThat(node.path("message").isTextual()).as(line).isTrue();
            assertThat(node.path("level").asText()).as(line).isNotEmpty();
        }
        assertThat(output).anyMatch(line -> line.contains("\"message\":\"watching " + ws.root()));
    }

    private void start(String... command) throws IOException {
        start(new ProcessBuilder(command).redirectErrorStream(true));
    }

    private void start(ProcessBuilder builder) throws IOException {
        builder.environment().put("XDG_RUNTIME_DIR", dir.toString()); // the test's own daemon registry
        process = builder.start();
        reader = new Thread(this::collectOutput, "output-reader");
        reader.setDaemon(true);
        reader.start();
    }

    private void collectOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                output.add(line);
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    private void awaitLine(String fragment) {
        await().atMost(Duration.ofSeconds(60))
                .alias("a line containing '" + fragment + "'")
                .until(() -> countLines(fragment) > 0);
    }

    private int countLines(String fragment) {
        return (int) output.stream().filter(line -> line.contains(fragment)).count();
    }
}
