package dev.autorebuild.core.build;

/**
 * Keeps one component's builds from overlapping: while a build runs, any number of further requests
 * collapse into exactly one follow-up build. Pure state; the caller owns the threads.
 */
public final class BuildSlot {
    public enum Phase { IDLE, QUEUED, BUILDING }

    private Phase phase = Phase.IDLE;
    private boolean followUp;
    private boolean cancelled;

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
        return true;
    }

    /** The build ended (well or not). Returns true when a follow-up build must be queued now. */
    public synchronized boolean finish() {
        if (phase != Phase.BUILDING) {
            throw new IllegalStateException("finish() without a build in progress (phase " + phase + ")");
        }
        if (followUp && !cancelled) {
            followUp = false;
            phase = Phase.QUEUED;
            return true;
        }
        phase = Phase.IDLE;
        return false;
    }

    /** The queued build found nothing to do and did not run. */
    public synchronized void skip() {
        if (phase == Phase.QUEUED) {
            phase = Phase.IDLE;
        }
    }

    /** The component is gone: no further builds start. */
    public synchronized void close() {
        cancelled = true;
    }

    public synchronized Phase phase() {
        return phase;
    }

    public synchronized boolean followUpPending() {
        return followUp;
    }
}
