package dev.autorebuild.watch;

import dev.autorebuild.core.Threads;
import io.methvin.watcher.visitor.FileTreeVisitor.Callback;

import java.io.IOException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One walk of a tree on a few threads of its own, a task per folder, as {@code Files.walkFileTree} walks
 * for directory-watcher's default visitor: a folder is opened, reported, then read (so whatever is created
 * in it after its watch is registered is either read or reported by inotify); a folder that cannot be
 * opened and an entry that vanished are skipped; links are not followed. Each folder is reported before
 * what is in it. {@link #run} returns once every task has ended, with the first failure of a callback.
 * <p>
 * Once a folder's subfolders are all found ({@link SubfolderCount}, read after the folder is reported:
 * a watch registered then sees any folder made later), its other entries are reported as files without
 * their attributes read: one that vanished meanwhile is reported all the same. directory-watcher's
 * callbacks while it registers do nothing with files (its hashing is off), so that costs nothing there.
 */
final class ParallelFolderWalk {
    /** Four: on two cores, as fast as eight and clearly faster than two (the threads mostly wait on the poller). */
    static final int THREADS = 4;

    private final Callback onDirectory;
    private final Callback onFile;
    private final ExecutorService pool = Threads.boundedPool("dab-register", THREADS);
    private final AtomicInteger pending = new AtomicInteger();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private SubfolderCount subfolders;

    ParallelFolderWalk(Callback onDirectory, Callback onFile) {
        this.onDirectory = onDirectory;
        this.onFile = onFile;
    }

    void run(Path start) throws IOException {
        try {
            BasicFileAttributes attributes = attributes(start);
            if (attributes == null) {
                return;
            }
            if (!attributes.isDirectory()) {
                onFile.call(start);
                return;
            }
            subfolders = SubfolderCount.forTree(start);
            submit(start);
            awaitEnd();
        } finally {
            pool.shutdown();
        }
        Throwable first = failure.get();
        if (first instanceof IOException io) {
            throw io;
        }
        if (first instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (first instanceof Error error) {
            throw error;
        }
    }

    private void awaitEnd() throws IOException {
        try {
            ended.get();
        } catch (InterruptedException e) {
            failure.compareAndSet(null, e);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering the workspace's folders", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    private void submit(Path folder) {
        pending.incrementAndGet();
        pool.execute(() -> {
            try {
                if (failure.get() == null) {
                    visit(folder);
                }
            } catch (IOException | RuntimeException | Error e) {
                failure.compareAndSet(null, e); // the first failure is the walk's; the rest stop short
            } finally {
                if (pending.decrementAndGet() == 0) {
                    ended.complete(null);
                }
            }
        });
    }

    private void visit(Path folder) throws IOException {
        DirectoryStream<Path> entries;
        try {
            entries = Files.newDirectoryStream(folder);
        } catch (IOException unreadable) {
            return; // as walkFileTree reports it to the library's visitor, which skips it
        }
        try (entries) {
            onDirectory.call(folder);
            int unfound = subfolders.of(folder); // after the folder's watch: one made from now on is reported by it
            for (Path entry : entries) {
                if (unfound == 0) {
                    onFile.call(entry); // every subfolder is found: the rest are files (or links)
                    continue;
                }
                BasicFileAttributes attributes = attributes(entry);
                if (attributes == null) {
                    continue;
                }
                if (attributes.isDirectory()) {
                    submit(entry);
                    unfound--; // from UNKNOWN it stays negative: every entry is read
                } else {
                    onFile.call(entry);
                }
            }
        } catch (DirectoryIteratorException unreadable) {
            // a folder that fails while read: skipped from there, as the library's default skips it
        }
    }

    /** Null when the entry is gone (or unreadable): skipped, as by the library's default. */
    private static BasicFileAttributes attributes(Path path) {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException gone) {
            return null;
        }
    }
}
