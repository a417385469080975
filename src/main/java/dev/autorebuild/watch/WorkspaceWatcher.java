package dev.autorebuild.watch;

import dev.autorebuild.core.FileEvent;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryChangeListener;
import io.methvin.watcher.DirectoryWatcher;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

/**
 * Recursive watching of a workspace through directory-watcher (the JDK WatchService, inotify on
 * Linux). Folders created later are registered and walked by the library, which reports the files
 * already in them. Its own file hashing is off: it reads byte by byte with Murmur3 and took ~20 s to
 * start on a 100,000-file tree here; the pipeline hashes, with SHA-256, only what it must.
 *
 * <p>The listener runs on the watcher thread, so {@code sink} must only hand the event on.
 */
public final class WorkspaceWatcher implements AutoCloseable {
    private final DirectoryWatcher watcher;
    private final FolderWalk walk = new FolderWalk();
    private final boolean parallelRegistration;
    private final CompletableFuture<Void> running = new CompletableFuture<>();

    private WorkspaceWatcher(Path root, Consumer<FileEvent> sink, Consumer<Exception> onError) throws IOException {
        try {
            watcher = DirectoryWatcher.builder()
                    .path(root)
                    .fileHashing(false)
                    .fileTreeVisitor(walk)
                    .logger(LoggerFactory.getLogger(WorkspaceWatcher.class))
                    .listener(new DirectoryChangeListener() {
                        @Override
                        public void onEvent(DirectoryChangeEvent event) {
                            sink.accept(translate(event));
                        }

                        @Override
                        public void onException(Exception e) {
                            if (e instanceof NullPointerException) {
                                // directory-watcher 0.19.1 fails on the JDK's OVERFLOW (it has no path) with an
                                // NPE instead of passing it on: events were lost, so rescan rather than miss them.
                                sink.accept(FileEvent.overflow());
                            } else if (e instanceof IOException io && isWatchLimit(explained(io))) {
                                // a folder created while watching met the kernel's limit: the library has dropped
                                // its creation event and will never see inside it, so this watcher is done
                                running.completeExceptionally(explained(io));
                            } else {
                                onError.accept(e instanceof IOException io ? explained(io) : e);
                            }
                        }
                    })
                    .build();
        } catch (IOException e) {
            throw explained(e);
        }
        parallelRegistration = FolderWalk.allowParallelRegistration(watcher);
    }

    /**
     * Registers every folder under {@code root} (blocking until done: directory-watcher 0.19.1 registers
     * them on the calling thread; {@link FolderWalk} spreads that over a few threads), then watches on
     * {@code thread}.
     *
     * @throws IOException explained, when a folder cannot be watched, the kernel's watch limit included
     */
    public static WorkspaceWatcher start(Path root, Consumer<FileEvent> sink, Consumer<Exception> onError,
                                         ExecutorService thread) throws IOException {
        WorkspaceWatcher started = new WorkspaceWatcher(root, sink, onError);
        CompletableFuture<Void> loop;
        try {
            loop = started.register(thread);
        } catch (IOException e) {
            started.close();
            throw explained(e);
        } catch (RuntimeException e) {
            started.close();
            throw e;
        }
        if (loop.isCompletedExceptionally()) {
            // the library reports a failed registration as an already failed future, not as an exception
            started.close();
            throw explained(rootCause(loop));
        }
        loop.whenComplete((done, failure) -> {
            if (failure == null) {
                started.running.complete(null);
            } else {
                started.running.completeExceptionally(failure);
            }
        });
        return started;
    }

    /**
     * The folders under {@code root}, itself included: the inotify watches a watcher of it holds, which
     * is what the kernel's limit counts. Walked as the registration walks (a folder's other entries are
     * not looked at once its subfolders are found). On 10,000 folders / 100,000 files, in a JVM of its own:
     * 0.72-0.76 s of CPU against 1.65-2.02 s for {@code Files.walk} and a test of each entry (which
     * reads every entry's attributes twice), in the hashing burst after a start.
     */
    public static long countFolders(Path root) throws IOException {
        java.util.concurrent.atomic.LongAdder folders = new java.util.concurrent.atomic.LongAdder();
        new ParallelFolderWalk(folder -> folders.increment(), file -> { }).run(root);
        return folders.sum();
    }

    /** For tests: the tree walks made while registering. */
    int registrationWalks() {
        return walk.treeWalks();
    }

    /** directory-watcher registers on this thread, then watches on {@code thread}; see {@link FolderWalk}. */
    private CompletableFuture<Void> register(ExecutorService thread) throws IOException {
        if (!parallelRegistration) {
            return watcher.watchAsync(thread);
        }
        walk.registeringOn(Thread.currentThread());
        boolean succeeded = false;
        try {
            CompletableFuture<Void> loop = watcher.watchAsync(thread);
            succeeded = !loop.isCompletedExceptionally();
            return loop;
        } finally {
            walk.registered(succeeded);
        }
    }

    private static IOException rootCause(CompletableFuture<Void> failed) {
        try {
            failed.join();
            throw new IllegalStateException("not failed");
        } catch (java.util.concurrent.CompletionException e) {
            return asIOException(e);
        }
    }

    private static IOException asIOException(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException || cause instanceof java.io.UncheckedIOException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause instanceof IOException io ? io : new IOException(cause.toString(), cause);
    }

    /** Whether this is the explained watch-limit error (the caller may fall back to polling). */
    public static boolean isWatchLimit(IOException e) {
        return String.valueOf(e.getMessage()).startsWith(LIMIT_REACHED);
    }

    private static final String LIMIT_REACHED = "the kernel's limit of watched folders is reached";

    /**
     * The kernel's per-user inotify watch limit ({@code fs.inotify.max_user_watches}) says only "User
     * limit of inotify watches reached": name the setting, its current figure and the fix.
     */
    static IOException explained(IOException e) {
        String message = String.valueOf(e.getMessage());
        if (!message.contains("inotify") && !message.contains("No space left on device")) {
            return e;
        }
        if (isWatchLimit(e)) {
            return e; // already explained
        }
        String figure = sysctl("fs/inotify/max_user_watches");
        // In a container (a user namespace of its own) the limit that bites can be the namespace's, lower than the machine's.
        String namespace = sysctl("user/max_inotify_watches");
        if (!namespace.equals(figure) && !namespace.equals("unknown")) {
            figure += "; this user namespace allows " + namespace + ", user.max_inotify_watches";
        }
        return new IOException(LIMIT_REACHED + " (fs.inotify.max_user_watches = " + figure
                + ", shared by every program of this user): raise it, e.g. sudo sysctl fs.inotify.max_user_watches=524288"
                + " (and in /etc/sysctl.d/ to keep it), or ignore big folders in .dabignore (" + message + ")", e);
    }

    /**
     * A sysctl's value, read in one call: procfs answers a read at a non-zero offset with nothing, so
     * {@code Files.readString} (which starts with a one-byte read for a file of size 0) gets the first digit only.
     */
    private static String sysctl(String name) {
        try (var in = java.nio.file.Files.newInputStream(Path.of("/proc/sys", name))) {
            return new String(in.readNBytes(64), java.nio.charset.StandardCharsets.US_ASCII).strip();
        } catch (IOException unreadable) {
            return "unknown";
        }
    }

    static FileEvent translate(DirectoryChangeEvent event) {
        return switch (event.eventType()) {
            case CREATE -> new FileEvent(FileEvent.Kind.CREATED, event.path(), event.isDirectory());
            case MODIFY -> new FileEvent(FileEvent.Kind.MODIFIED, event.path(), event.isDirectory());
            case DELETE -> new FileEvent(FileEvent.Kind.DELETED, event.path(), event.isDirectory());
            // directory-watcher gives no path with OVERFLOW: the caller rescans everything
            case OVERFLOW -> FileEvent.overflow();
        };
    }

    /**
     * Calls {@code handler} once if watching stops by itself: the event loop ended with an error, or a
     * folder created while watching met the kernel's watch limit (explained). Without it, a daemon past
     * the limit would say it watches and miss everything in the new folders.
     */
    public void onFailure(Consumer<IOException> handler) {
        running.whenComplete((done, failure) -> {
            if (failure != null) {
                handler.accept(explained(asIOException(failure)));
            }
        });
    }

    @Override
    public void close() throws IOException {
        watcher.close();
    }
}
