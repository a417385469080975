package dev.autorebuild.cli;

import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code watch.poll: true} in the packaged daemon. Its inotify registration begins before dab.yml is read
 * (the launcher's daemon knows its folder from its command line), so a daemon told to poll must drop
 * those watches, and still see every change by polling.
 */
class PollingDaemonIT extends DaemonProcessTest {
    private static final int FOLDERS = 40;

    @Test
    void aDaemonToldToPoll_holdsNoWatchOnTheWorkspace_andBuildsWhatPollingSees() throws Exception {
        for (int i = 0; i < FOLDERS; i++) {
            ws.write("web/src/d" + i + "/f.txt", "file " + i + "\n");
        }
        ws.write("dab.yml", "watch: {poll: true, poll-interval: 200ms}\n");
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built demo-web:latest", 1);

        // the early registration held a watch on each of the workspace's 40-odd folders; dropped, the daemon
        // keeps only watches of its own (its state folder, say): far fewer than the folders
        await().atMost(Duration.ofSeconds(30)).alias("the early inotify watches closed")
                .until(() -> inotifyWatches(pid) < FOLDERS / 2);

        ws.write("web/src/d7/f.txt", "seen by polling\n");
        awaitLog("[web] built demo-web:latest", 2);
        assertThat(DockerEngine.runIn("demo-web:latest", "cat /app/src/d7/f.txt")).isEqualTo("seen by polling");
    }

    /** inotify watches the process holds, as the kernel lists them in /proc/PID/fdinfo (one "inotify wd:" line each). */
    private static long inotifyWatches(long pid) throws IOException {
        long watches = 0;
        try (Stream<Path> fds = Files.list(Path.of("/proc", Long.toString(pid), "fdinfo"))) {
            for (Path fd : (Iterable<Path>) fds::iterator) {
                try {
                    watches += Files.readAllLines(fd).stream().filter(line -> line.startsWith("inotify wd:")).count();
                } catch (IOException e) {
                    // closed meanwhile
                }
            }
        }
        return watches;
    }
}
