package dev.autorebuild.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The wait for Swarm's verdict: the update's budget, and a rollback's own budget from when Swarm starts it. */
class UpdateDeadlineTest {
    private static final long S = 1_000_000_000L;

    @Test
    void anUpdate_isWaitedForItsBudget() {
        UpdateDeadline deadline = new UpdateDeadline(100 * S, Duration.ofSeconds(32), Duration.ofSeconds(32));
        assertThat(deadline.passed("updating", 131 * S)).isFalse();
        assertThat(deadline.passed("updating", 133 * S)).isTrue();
        assertThat(deadline.waited(133 * S)).isEqualTo(Duration.ofSeconds(33));
    }

    @Test
    void aRollbackThatStartsLate_getsItsOwnBudgetFromWhenItStarted() {
        UpdateDeadline deadline = new UpdateDeadline(100 * S, Duration.ofSeconds(32), Duration.ofSeconds(32));
        assertThat(deadline.passed("updating", 120 * S)).isFalse();
        assertThat(deadline.passed("rollback_started", 125 * S)).isFalse();
        assertThat(deadline.passed("rollback_started", 140 * S)).as("past the update's budget, inside the rollback's").isFalse();
        assertThat(deadline.passed("rollback_started", 156 * S)).isFalse();
        assertThat(deadline.passed("rollback_started", 158 * S)).as("125 s + 32 s").isTrue();
    }

    @Test
    void theRollbacksBudget_isGivenOnce_andNeverShortensTheUpdates() {
        UpdateDeadline deadline = new UpdateDeadline(100 * S, Duration.ofSeconds(32), Duration.ofSeconds(5));
        assertThat(deadline.passed("rollback_started", 101 * S)).as("an early rollback keeps the update's budget").isFalse();
        assertThat(deadline.passed("rollback_started", 131 * S)).isFalse();
        assertThat(deadline.passed("rollback_started", 133 * S)).isTrue();

        UpdateDeadline late = new UpdateDeadline(100 * S, Duration.ofSeconds(10), Duration.ofSeconds(10));
        assertThat(late.passed("rollback_started", 108 * S)).isFalse();
        assertThat(late.passed("rollback_started", 117 * S)).as("seen again: the budget still runs from the first sight").isFalse();
        assertThat(late.passed("rollback_started", 119 * S)).isTrue();
    }

    @Test
    void anUpdateWhoseNewTaskFailed_getsTheRollbacksBudgetOnce_whenItsOwnRunsOut() {
        UpdateDeadline deadline = new UpdateDeadline(100 * S, Duration.ofSeconds(32), Duration.ofSeconds(20));
        int[] asked = {0};
        java.util.function.BooleanSupplier failed = () -> ++asked[0] > 0;
        assertThat(deadline.passed("updating", 131 * S, failed)).isFalse();
        assertThat(asked[0]).as("not asked while the update's budget runs").isZero();
        assertThat(deadline.passed("updating", 133 * S, failed)).as("a new task failed: Swarm decides, 20 s from now").isFalse();
        assertThat(deadline.passed("updating", 152 * S, failed)).isFalse();
        assertThat(deadline.passed("updating", 154 * S, failed)).as("given once: 133 s + 20 s").isTrue();
        assertThat(asked[0]).isEqualTo(1);

        UpdateDeadline healthy = new UpdateDeadline(100 * S, Duration.ofSeconds(32), Duration.ofSeconds(20));
        assertThat(healthy.passed("updating", 133 * S, () -> false)).as("no task failed: the update's own budget").isTrue();
    }
}
