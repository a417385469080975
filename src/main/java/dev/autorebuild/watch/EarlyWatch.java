package dev.autorebuild.watch;

import dev.autorebuild.core.FileEvent;
import dev.autorebuild.core.Threads;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The workspace's inotify watches, registered while the daemon's runtime boots. Registering every
 * folder of a big tree takes as long as the boot itself (about 1 s for 10,000 folders here, on the
 * calling thread), and both used to run one after the other on the way to "watching": done on the
 * second core, the registration is over by the time the engine asks for its watcher.
 * <p>
 * Until the engine takes the watcher, events are kept (past {@link #MAX_KEPT} they become one
 * overflow, which the engine answers with a rescan), then handed over in order before any later
 * one. Nothing is lost either way: the engine's first look at each component comes after it takes
 * the watcher, and reads the files as they are then.
 */
public final class EarlyWatch {
    static final int MAX_KEPT = 50_000;
    private static final AtomicReference<EarlyWatch> PENDING = new AtomicReference<>();

    private final Path root;
    private final int maxKept;
    private final CompletableFuture<WorkspaceWatcher> registered = new CompletableFuture<>();
    private final List<FileEvent> kept = new ArrayList<>();
    private final List<Exception> keptErrors = new ArrayList<>();
    private boolean overflowed;
    private Consumer<FileEvent> sink;
    private Consumer<Exception> onError;

    private EarlyWatch(Path root, int maxKept) {
        this.root = root;
        this.maxKept = maxKept;
    }

    /** Starts registering {@code root}'s folders on a thread of its own; a second call replaces nothing. */
    public static void begin(Path root) {
        begin(root, MAX_KEPT);
    }

    static void begin(Path root, int maxKept) {
        EarlyWatch early = new EarlyWatch(root, maxKept);
        if (!PENDING.compareAndSet(null, early)) {
            return;
        }
        ExecutorService loop = Executors.newSingleThreadExecutor(Threads.daemon("dab-watcher"));
        Thread registering = Threads.daemon("dab-early-watch").newThread(() -> {
            try {
                early.registered.complete(WorkspaceWatcher.start(root, early::event, early::error, loop));
            } catch (IOException | RuntimeException e) {
                early.registered.completeExceptionally(e);
            } finally {
                loop.shutdown(); // the watch loop keeps its thread until the watcher is closed
            }
        });
        registering.start();
    }

    /**
     * The watcher {@link #begin} started for {@code root}, once its folders are registered, now
     * delivering to {@code sink}: first what it kept, then every later event. Empty when none was begun
     * for this folder (one begun for another folder is closed).
     *
     * @throws IOException the registration's own failure (explained), the kernel's watch limit included
     */
    public static Optional<WorkspaceWatcher> take(Path root, Consumer<FileEvent> sink, Consumer<Exception> onError) throws IOException {
        EarlyWatch early = PENDING.getAndSet(null);
        if (early == null) {
            return Optional.empty();
        }
        WorkspaceWatcher watcher = early.await();
        if (!early.root.equals(root)) {
            watcher.close();
            return Optional.empty();
        }
        early.handOver(sink, onError);
        return Optional.of(watcher);
    }

    /**
     * Closes a watcher begun and not taken (the configuration says poll), once its registration is over;
     * the caller does not wait for that.
     */
    public static void discard() {
        EarlyWatch early = PENDING.getAndSet(null);
        if (early != null) {
            early.registered.thenAccept(watcher -> {
                try {
                    watcher.close();
                } catch (IOException e) {
                    // closing what nobody reads: nothing to report
                }
            }); // one that failed to register has nothing to close
        }
    }

    /** For tests: whether the pending watch has registered its folders (or failed to). */
    static boolean pendingRegistered() {
        EarlyWatch early = PENDING.get();
        return early != null && early.registered.isDone();
    }

    /** For tests: whether the pending watch has kept more than it may, and so turned them into one overflow. */
    static boolean pendingOverflowed() {
        EarlyWatch early = PENDING.get();
        if (early == null) {
            return false;
        }
        synchronized (early) {
            return early.overflowed;
        }
    }

    private WorkspaceWatcher await() throws IOException {
        try {
            return registered.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while registering the workspace's folders", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause()), e.getCause());
        }
    }

    private synchronized void handOver(Consumer<FileEvent> sink, Consumer<Exception> onError) {
        if (overflowed) {
            sink.accept(FileEvent.overflow());
        }
        kept.forEach(sink);
        keptErrors.forEach(onError);
        kept.clear();
        keptErrors.clear();
        this.sink = sink;
        this.onError = onError;
    }

    private synchronized void event(FileEvent event) {
        if (sink != null) {
            sink.accept(event);
        } else if (!overflowed) {
            kept.add(event);
            if (kept.size() > maxKept) {
                kept.clear();
                overflowed = true; // a rescan covers everything these said
            }
        }
    }

    private synchronized void error(Exception e) {
        if (onError != null) {
            onError.accept(e);
        } else {
            keptErrors.add(e);
        }
    }
}
