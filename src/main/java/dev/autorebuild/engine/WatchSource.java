package dev.autorebuild.engine;

import dev.autorebuild.core.Durations;
import dev.autorebuild.core.FileEvent;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.watch.EarlyWatch;
import dev.autorebuild.watch.PollingWatcher;
import dev.autorebuild.watch.WorkspaceWatcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;

/**
 * How the workspace is watched: inotify through directory-watcher; polling when dab.yml asks for it,
 * when the kernel's watch limit is reached at the start, or when the inotify watcher stops by itself
 * later (a folder created while watching can meet the limit too). Each fallback is said plainly, with
 * the fix, and followed by a rescan, so nothing that changed meanwhile is missed. The daemon's first
 * inotify watcher is usually registered while the runtime booted ({@link EarlyWatch}).
 */
final class WatchSource implements AutoCloseable {
    private final Path workspace;
    private final Consumer<FileEvent> sink;
    private final Consumer<String> warn;
    private final ScheduledExecutorService pipelineThread;
    private final Duration pollInterval;
    private volatile AutoCloseable current;
    private volatile boolean closed;

    private WatchSource(Path workspace, Consumer<FileEvent> sink, Consumer<String> warn, ScheduledExecutorService pipelineThread,
                        Duration pollInterval) {
        this.workspace = workspace;
        this.sink = sink;
        this.warn = warn;
        this.pipelineThread = pipelineThread;
        this.pollInterval = pollInterval;
    }

    /** @param sink receives every event, an overflow included, and the overflow that asks for a rescan after a fallback */
    static WatchSource start(Path workspace, DabConfig.Watch settings, Consumer<FileEvent> sink, Consumer<String> warn,
                             ExecutorService watcherThread, ScheduledExecutorService pipelineThread) throws IOException {
        WatchSource source = new WatchSource(workspace, sink, warn, pipelineThread, settings.pollInterval());
        if (!settings.poll()) {
            try {
                WorkspaceWatcher inotify = EarlyWatch.take(workspace, sink, source::watcherError)
                        .orElse(null);
                if (inotify == null) {
                    inotify = WorkspaceWatcher.start(workspace, sink, source::watcherError, watcherThread);
                }
                source.current = inotify;
                inotify.onFailure(failure -> pipelineThread.execute(() -> source.pollInstead(failure)));
                return source;
            } catch (IOException e) {
                if (!WorkspaceWatcher.isWatchLimit(e)) {
                    throw e;
                }
                warn.accept(e.getMessage() + "; meanwhile the workspace is polled every " + Durations.format(settings.pollInterval()));
            }
        } else {
            EarlyWatch.discard();
        }
        source.current = PollingWatcher.start(workspace, settings.pollInterval(), sink, source::watcherError, pipelineThread);
        return source;
    }

    private void watcherError(Exception e) {
        warn.accept("watcher: " + e.getMessage());
    }

    /** Pipeline thread: the inotify watcher stopped by itself; poll instead, then rescan everything. */
    private void pollInstead(IOException failure) {
        if (closed || current instanceof PollingWatcher) {
            return;
        }
        warn.accept((WorkspaceWatcher.isWatchLimit(failure) ? failure.getMessage() : "the file watcher stopped: " + failure.getMessage())
                + "; meanwhile the workspace is polled every " + Durations.format(pollInterval));
        try {
            AutoCloseable previous = current;
            current = PollingWatcher.start(workspace, pollInterval, sink, this::watcherError, pipelineThread);
            previous.close();
        } catch (Exception e) {
            warn.accept("cannot poll the workspace either: " + e.getMessage());
            return;
        }
        sink.accept(FileEvent.overflow());
    }

    @Override
    public void close() throws Exception {
        closed = true;
        current.close();
    }
}
