package dev.autorebuild.cli;

import dev.autorebuild.support.DaemonReaper;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the daemon's process tests share: the packaged application run as users run it, a workspace
 * with one component, each test's own registry, and a reaper for whatever a test leaves running.
 */
abstract class DaemonProcessTest {
    static final Pattern STARTED = Pattern.compile("daemon (\\d+) is watching");

    @TempDir
    static Path runtimeDir;
    @TempDir
    Path dir;

    final PackagedApp app = new PackagedApp(runtimeDir);
    @RegisterExtension
    final DaemonReaper reaper = new DaemonReaper(app);
    TestWorkspace ws;

    @BeforeEach
    void workspace() throws IOException {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.component("web");
    }

    @AfterEach
    void removeImages() throws Exception {
        // the daemons go first: one still running could create a container after the clean-up (a redeploy
        // in flight), and the next test would find a foreign container holding its name
        reaper.afterEach(null);
        DockerEngine.removeContainersOf(ws.root());
        DockerEngine.removeImagesOf(ws.root());
    }

    static long pidOf(PackagedApp.Result start) {
        Matcher m = STARTED.matcher(start.out());
        assertThat(m.find()).as("the start reports the daemon's pid: %s", start).isTrue();
        return Long.parseLong(m.group(1));
    }

    Path log() {
        return ws.root().resolve(".dab/auto-rebuild.log");
    }

    String logText() throws IOException {
        return Files.readString(log());
    }

    void awaitLog(String fragment, int times) {
        await().atMost(Duration.ofSeconds(60)).alias(times + " line(s) containing '" + fragment + "' in the log")
                .until(() -> logText().split(Pattern.quote(fragment), -1).length - 1 >= times);
    }

    static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
