package dev.autorebuild.engine;

import java.util.concurrent.atomic.AtomicLong;

/**
 * How much the pipeline has seen and dropped since start, for monitoring (the daemon exports them as
 * Prometheus metrics). Plain atomic counters: the engine stays free of any metrics library, and
 * counting costs one increment per event.
 */
public final class PipelineCounters {
    /** Every file event the watcher delivered (overflows included). */
    public final AtomicLong fileEvents = new AtomicLong();
    /** Events on a path inside a component that its ignore rules, whitelist or blacklist exclude. */
    public final AtomicLong ignored = new AtomicLong();
    /** Events on a path no component covers (the workspace's own files, .git, .dab). */
    public final AtomicLong outsideComponents = new AtomicLong();
    /** Events whose files turned out byte-identical to what the image was built from. */
    public final AtomicLong unchangedByHash = new AtomicLong();
    /** Closed debounce windows, each handled as one batch of paths. */
    public final AtomicLong debounceBatches = new AtomicLong();
    /** Full rescans of components after lost events (watch queue overflow) or rule changes. */
    public final AtomicLong rescans = new AtomicLong();
    /** Folders under the workspace (each one an inotify watch), counted after start and kept up by events. */
    public final AtomicLong watchedFolders = new AtomicLong();
}
