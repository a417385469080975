package dev.autorebuild.engine;

import java.time.Duration;

/**
 * A count of ended builds that a waiting thread can block on: a redeploy that waits for a component's
 * build wakes the moment it ends, instead of finding out at its next look (up to 20 ms later, on the
 * path from save to new container).
 */
public final class BuildEnds {
    private long ended; // guarded by this

    /** Called after a build ends, its slot free (or its follow-up queued). */
    synchronized void ended() {
        ended++;
        notifyAll();
    }

    /** How many builds have ended so far: pass it to {@link #awaitAfter} to miss none that end in between. */
    public synchronized long count() {
        return ended;
    }

    /** Returns once a build ends after {@code seen} was read, or after {@code atMost}. */
    public synchronized void awaitAfter(long seen, Duration atMost) throws InterruptedException {
        long deadline = System.nanoTime() + atMost.toNanos();
        for (long left = atMost.toNanos(); ended == seen && left > 0; left = deadline - System.nanoTime()) {
            java.util.concurrent.TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }
}
