package dev.autorebuild.watch;

import dev.autorebuild.core.FileEvent;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Watching without inotify: walks the workspace every interval and reports what appeared, changed
 * (size or modification time) or went, as the same {@link FileEvent}s the inotify watcher gives, so
 * the rest of the pipeline (debounce, hash compare) is the same. For network file systems, container
 * mounts that carry no events, and when the kernel's watch limit is reached. It costs a stat per file
 * per interval: it is the fallback, not the default.
 */
public final class PollingWatcher implements AutoCloseable {
    /** Never walked: git's and our own state churn and are never build inputs. */
    private static final Set<String> SKIPPED = Set.of(".git", ".dab");

    private record Seen(long size, long modified, boolean directory) {}

    private final Path root;
    private final Consumer<FileEvent> sink;
    private final Consumer<Exception> onError;
    private Map<Path, Seen> last;
    private ScheduledFuture<?> task;

    private PollingWatcher(Path root, Consumer<FileEvent> sink, Consumer<Exception> onError) {
        this.root = root;
        this.sink = sink;
        this.onError = onError;
    }

    /** Takes the first picture of the tree now, then compares every {@code interval} on {@code thread}. */
    public static PollingWatcher start(Path root, Duration interval, Consumer<FileEvent> sink, Consumer<Exception> onError,
                                       ScheduledExecutorService thread) throws IOException {
        PollingWatcher watcher = new PollingWatcher(root, sink, onError);
        watcher.last = watcher.walk();
        watcher.task = thread.scheduleWithFixedDelay(watcher::poll, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return watcher;
    }

    private void poll() {
        try {
            Map<Path, Seen> now = walk();
            now.forEach((path, seen) -> {
                Seen before = last.get(path);
                if (before == null) {
                    sink.accept(new FileEvent(FileEvent.Kind.CREATED, path, seen.directory()));
                } else if (!seen.directory() && !before.equals(seen)) {
                    sink.accept(new FileEvent(FileEvent.Kind.MODIFIED, path, false));
                }
            });
            last.forEach((path, seen) -> {
                if (!now.containsKey(path)) {
                    sink.accept(new FileEvent(FileEvent.Kind.DELETED, path, seen.directory()));
                }
            });
            last = now;
        } catch (IOException | RuntimeException e) {
            onError.accept(e);
        }
    }

    private Map<Path, Seen> walk() throws IOException {
        Map<Path, Seen> seen = new HashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                if (!dir.equals(root) && dir.getParent().equals(root) && SKIPPED.contains(dir.getFileName().toString())) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (!dir.equals(root)) {
                    seen.put(dir, new Seen(0, 0, true));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                seen.put(file, new Seen(attrs.size(), attrs.lastModifiedTime().toMillis() * 1_000_000L + nanosOf(attrs), false));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished or unreadable: the scanner reports what matters
            }
        });
        return seen;
    }

    /** The sub-millisecond part of the modification time, where the file system keeps it. */
    private static long nanosOf(BasicFileAttributes attrs) {
        return attrs.lastModifiedTime().toInstant().getNano() % 1_000_000;
    }

    @Override
    public void close() {
        if (task != null) {
            task.cancel(false);
        }
    }
}
