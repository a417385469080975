package dev.autorebuild.engine;

import java.time.Duration;

/**
 * How long a Swarm update is waited for (pure: the caller passes the clock's reading). The update gets
 * the readiness timeout plus its monitor and delay per round. A rollback is a second update, back to
 * the old spec, that Swarm starts only once the first has failed, so when one starts it gets a budget
 * of its own from that moment (readiness timeout plus monitor per round): on a busy machine a rollback
 * that began late in the first budget was cut off with "the update has not finished". An update whose
 * new task failed before the budget ran out, but which Swarm has not begun to roll back yet, gets that
 * budget once too.
 */
final class UpdateDeadline {
    private final long startedNanos;
    private final Duration rollbackBudget;
    private long deadlineNanos;
    private boolean rollbackTimed;
    private boolean failureTimed;

    UpdateDeadline(long startedNanos, Duration updateBudget, Duration rollbackBudget) {
        this.startedNanos = startedNanos;
        this.rollbackBudget = rollbackBudget;
        this.deadlineNanos = startedNanos + updateBudget.toNanos();
    }

    /** Whether the wait is over, given the update's state now (Swarm's {@code UpdateStatus.State}, "" when not ours yet). */
    boolean passed(String state, long nowNanos) {
        return passed(state, nowNanos, () -> false);
    }

    /**
     * The same, asking {@code aNewTaskFailed} only once the budget has run out: an update one of whose new
     * tasks has failed is Swarm's to roll back, and on a busy machine Swarm was seen still "updating" 32 s
     * after the redeploy began, a new task failed (CI, session 24). Such an update gets, once, the rollback's
     * budget from then on, so that the redeploy reports Swarm's verdict rather than "has not finished".
     */
    boolean passed(String state, long nowNanos, java.util.function.BooleanSupplier aNewTaskFailed) {
        if ("rollback_started".equals(state) && !rollbackTimed) {
            rollbackTimed = true;
            deadlineNanos = Math.max(deadlineNanos, nowNanos + rollbackBudget.toNanos());
        }
        if (nowNanos > deadlineNanos && !rollbackTimed && !failureTimed && aNewTaskFailed.getAsBoolean()) {
            failureTimed = true;
            deadlineNanos = nowNanos + rollbackBudget.toNanos();
        }
        return nowNanos > deadlineNanos;
    }

    /** How long it has been waited for, for the message. */
    Duration waited(long nowNanos) {
        return Duration.ofNanos(nowNanos - startedNanos);
    }
}
