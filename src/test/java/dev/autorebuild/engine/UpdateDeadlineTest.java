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
}
