package dev.autorebuild.watch;

import dev.autorebuild.core.Threads;
import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.DefaultFileTreeVisitor;
import io.methvin.watcher.visitor.FileTreeVisitor;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collections;
import java.util.HashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * How directory-watcher walks a tree. It walks as the library's default does ({@code Files.walkFileTree}:
 * a folder is opened, then reported, then read, so nothing created in it after its watch is missed by
 * both; a folder that cannot be opened and an entry that vanished are skipped; links are not followed),
 * but on several threads while a watcher registers a workspace.
 * <p>
 * Why: directory-watcher registers each folder with a round trip to the JDK's one inotify poller thread.
 * One folder at a time, 10,000 folders took 1.0 s here; from four threads 0.3–0.4 s, because the poller
 * serves every request waiting when it wakes. Only the registration is parallel: when a folder is
 * created while watching, the library walks it to report what is already inside, and those events come
 * in order, from the watch thread, as before.
 */
final class FolderWalk implements FileTreeVisitor {
    static final int THREADS = 4;
    private static final FileTreeVisitor ONE_THREAD = new DefaultFileTreeVisitor();

    private volatile Thread parallelCaller;

    /**
     * Lets {@code watcher} register from several threads: directory-watcher 0.19.1 keeps which root each
     * folder was registered under in a plain {@code HashMap}, its only bookkeeping on that path that is
     * not concurrent. It becomes a synchronized map with the same entries. False (the walk then stays on
     * one thread) when a later version keeps it otherwise: {@code FolderWalkTest} fails on that, so an
     * upgrade is noticed.
     */
    static boolean allowParallelRegistration(DirectoryWatcher watcher) {
        try {
            Field field = DirectoryWatcher.class.getDeclaredField("registeredPathToRootPath");
            field.setAccessible(true);
            if (!(field.get(watcher) instanceof HashMap<?, ?> plain)) {
                return false;
            }
            field.set(watcher, Collections.synchronizedMap(new HashMap<>(plain)));
            return true;
        } catch (ReflectiveOperationException | RuntimeException notAsExpected) {
            return false;
        }
    }

    /** Walks called from {@code caller} (the registering thread) go parallel, until {@link #oneThreadFromNowOn}. */
    void parallelWhenCalledFrom(Thread caller) {
        parallelCaller = caller;
    }

    void oneThreadFromNowOn() {
        parallelCaller = null;
    }

    @Override
    public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
        if (Thread.currentThread() == parallelCaller) {
            new ParallelWalk(onDirectory, onFile).run(start);
        } else {
            ONE_THREAD.recursiveVisitFiles(start, onDirectory, onFile);
        }
    }

    /** One walk: a task per folder, on a pool of its own; it returns once every task has ended. */
    private static final class ParallelWalk {
        private final Callback onDirectory;
        private final Callback onFile;
        private final ExecutorService pool = Threads.boundedPool("dab-register", THREADS);
        private final AtomicInteger pending = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final CompletableFuture<Void> ended = new CompletableFuture<>();

        ParallelWalk(Callback onDirectory, Callback onFile) {
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
                for (Path entry : entries) {
                    BasicFileAttributes attributes = attributes(entry);
                    if (attributes == null) {
                        continue;
                    }
                    if (attributes.isDirectory()) {
                        submit(entry);
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
}
