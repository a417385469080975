package dev.autorebuild.cli;

import dev.autorebuild.support.DockerEngine;
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

        process = new ProcessBuilder("java", "-jar", jar.toString(), "-t", ws.root().toString(), "-f")
                .redirectErrorStream(true).start();
        Thread reader = new Thread(this::collectOutput, "output-reader");
        reader.setDaemon(true);
        reader.start();

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
