package dev.autorebuild.core.build;

/**
 * Keeps one component's builds from overlapping: while a build runs, any number of further requests
 * collapse into exactly one follow-up build. A build that newer changes made stale is cancelled
 * ({@link #cancelRunning}), unless it is itself the rerun of a cancelled build: so a steady stream of
 * changes still ends in a finished build. Pure state; the caller owns the threads.
 */
public final class BuildSlot {
    public enum Phase { IDLE, QUEUED, BUILDING }

    private Phase phase = Phase.IDLE;
    private boolean followUp;
    private boolean cancelled;
    /** The running build was asked to stop for newer changes. */
    private boolean cancelAsked;
    /** The running build reruns one that was cancelled: it is never cancelled itself. */
    private boolean runningIsRerun;
    private boolean nextIsRerun;

    /** A change was seen. Returns true when the caller must queue a build now. */
    public synchronized boolean request() {
        switch (phase) {
            case IDLE -> {
                phase = Phase.QUEUED;
                return true;
            }
            case BUILDING -> followUp = true;
            case QUEUED -> { /* the queued build will see this change: it snapshots when it starts */ }
        }
        return false;
    }

    /** A queued build is starting. Returns false when the slot was closed meanwhile. */
    public synchronized boolean start() {
        if (cancelled || phase != Phase.QUEUED) {
            return false;
        }
        phase = Phase.BUILDING;
        followUp = false;
        runningIsRerun = nextIsRerun;
        nextIsRerun = false;
        cancelAsked = false;
        return true;
    }

    /** The build ended (well or not). Returns true when a follow-up build must be queued now. */
    public synchronized boolean finish() {
        if (phase != Phase.BUILDING) {
            throw new IllegalStateException("finish() without a build in progress (phase " + phase + ")");
        }
        if (followUp && !cancelled) {
            followUp = false;
            nextIsRerun = cancelAsked;
            phase = Phase.QUEUED;
            return true;
        }
        phase = Phase.IDLE;
        return false;
    }

    /**
     * After a request that found a build running: true when that build should be cancelled now, because
     * the follow-up will build newer files. Once per build, and never for the rerun of a cancelled one.
     */
    public synchronized boolean cancelRunning() {
        if (phase != Phase.BUILDING || !followUp || runningIsRerun || cancelAsked || cancelled) {
            return false;
        }
        cancelAsked = true;
        return true;
    }

    /** The component is gone: no further builds start. */
    public synchronized void close() {
        cancelled = true;
    }

    public synchronized Phase phase() {
        return phase;
    }
}
