package dev.autorebuild.watch;

import dev.autorebuild.core.FileEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real watch-queue overflow: the watcher thread is held up (as on a starved machine) while 3,000
 * files land in one folder; the JDK keeps 512 events per folder, drops the rest and posts OVERFLOW.
 * The watcher must pass that on, so the engine rescans instead of silently missing 2,999 files.
 */
class WatchOverflowTest {
    @TempDir
    Path dir;

    @Test
    void eventsDroppedByTheJdk_areReportedAsAnOverflow() throws Exception {
        Path folder = Files.createDirectories(dir.resolve("web/data"));
        CountDownLatch burstWritten = new CountDownLatch(1);
        List<FileEvent> events = new CopyOnWriteArrayList<>();
        List<Exception> errors = new CopyOnWriteArrayList<>();
        ExecutorService thread = Executors.newSingleThreadExecutor();
        try (WorkspaceWatcher watcher = WorkspaceWatcher.start(dir, event -> {
            try {
                burstWritten.await(30, TimeUnit.SECONDS); // a watcher thread that cannot keep up
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            events.add(event);
        }, errors::add, thread)) {
            for (int i = 0; i < 3_000; i++) {
                Files.writeString(folder.resolve("file-" + i + ".txt"), "x");
            }
            burstWritten.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> events.stream().anyMatch(e -> e.kind() == FileEvent.Kind.OVERFLOW));
            assertThat(errors).isEmpty();
        } finally {
            thread.shutdownNow();
        }
    }
}
