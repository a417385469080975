package dev.autorebuild.watch;

import dev.autorebuild.core.FileEvent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The watches registered while the daemon boots: real folders, real inotify; nothing written meanwhile is lost. */
class EarlyWatchTest {
    @TempDir
    Path root;

    private final List<FileEvent> seen = new CopyOnWriteArrayList<>();
    private final List<Exception> errors = new CopyOnWriteArrayList<>();

    @AfterEach
    void nothingLeftPending() {
        EarlyWatch.discard();
    }

    @Test
    void whatChangedBeforeTheTake_isHandedOverFirst_thenLaterEventsFollow() throws Exception {
        Files.createDirectories(root.resolve("web/src"));
        EarlyWatch.begin(root);
        await().atMost(Duration.ofSeconds(10)).until(EarlyWatch::pendingRegistered);
        Path early = root.resolve("web/src/early.txt");
        Files.writeString(early, "1"); // written once the folders are watched, before anyone takes the watcher
        Optional<WorkspaceWatcher> taken = EarlyWatch.take(root, seen::add, errors::add);
        assertThat(taken).isPresent();
        try (WorkspaceWatcher watcher = taken.get()) {
            Path late = root.resolve("web/src/late.txt");
            Files.writeString(late, "2");
            await().atMost(Duration.ofSeconds(10)).until(() -> paths().contains(late));
            assertThat(paths()).as("the write made before the take, delivered before the later one")
                    .containsSubsequence(early, late);
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void aWatcherBegunForAnotherFolder_isClosedAndNotHandedOut() throws Exception {
        Path other = Files.createDirectories(root.resolve("other"));
        EarlyWatch.begin(other);
        assertThat(EarlyWatch.take(root, seen::add, errors::add)).isEmpty();
        assertThat(EarlyWatch.take(root, seen::add, errors::add)).as("taken once only").isEmpty();
    }

    @Test
    void nothingBegun_meansNothingToTake() throws Exception {
        assertThat(EarlyWatch.take(root, seen::add, errors::add)).isEmpty();
    }

    @Test
    void pastItsLimit_whatWasKeptBecomesOneOverflow_soTheEngineRescans() throws Exception {
        EarlyWatch.begin(root, 3);
        await().atMost(Duration.ofSeconds(10)).until(EarlyWatch::pendingRegistered);
        for (int i = 0; i < 10; i++) {
            Files.writeString(root.resolve("f" + i), "x");
        }
        await().atMost(Duration.ofSeconds(10)).until(EarlyWatch::pendingOverflowed);
        try (WorkspaceWatcher watcher = EarlyWatch.take(root, seen::add, errors::add).orElseThrow()) {
            assertThat(seen).isNotEmpty();
            assertThat(seen.get(0).kind()).as("the first event handed over").isEqualTo(FileEvent.Kind.OVERFLOW);
            assertThat(seen).hasSize(1);
            Path after = root.resolve("after.txt");
            Files.writeString(after, "y");
            await().atMost(Duration.ofSeconds(10)).until(() -> paths().contains(after));
        }
    }

    private List<Path> paths() {
        return seen.stream().filter(e -> e.kind() != FileEvent.Kind.OVERFLOW).map(FileEvent::path).toList();
    }
}
