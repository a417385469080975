package dev.autorebuild.core.build;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BuildSlotTest {
    private final BuildSlot slot = new BuildSlot();

    @Test
    void firstRequest_queuesABuild_furtherOnesWhileQueued_doNot() {
        assertThat(slot.request()).isTrue();
        assertThat(slot.request()).isFalse();
        assertThat(slot.phase()).isEqualTo(BuildSlot.Phase.QUEUED);
    }

    @Test
    void manyRequestsDuringABuild_giveExactlyOneFollowUp() {
        slot.request();
        assertThat(slot.start()).isTrue();
        for (int i = 0; i < 100; i++) {
            assertThat(slot.request()).isFalse();
        }
        assertThat(slot.finish()).isTrue();
        assertThat(slot.start()).isTrue();
        assertThat(slot.finish()).isFalse();
        assertThat(slot.phase()).isEqualTo(BuildSlot.Phase.IDLE);
    }

    @Test
    void aNewerChangeDuringABuild_cancelsItOnce_butNeverTheRerunThatFollows() {
        slot.request();
        slot.start();
        assertThat(slot.cancelRunning()).as("nothing newer yet").isFalse();
        slot.request();
        assertThat(slot.cancelRunning()).isTrue();
        slot.request();
        assertThat(slot.cancelRunning()).as("asked once per build").isFalse();
        assertThat(slot.finish()).as("the rerun is queued").isTrue();

        assertThat(slot.start()).isTrue();
        slot.request();
        assertThat(slot.cancelRunning()).as("a steady stream of changes still ends in a finished build").isFalse();
        assertThat(slot.finish()).isTrue();

        assertThat(slot.start()).isTrue();
        slot.request();
        assertThat(slot.cancelRunning()).as("a build that was not a rerun may be cancelled again").isTrue();
    }

    @Test
    void closedSlot_startsNothing() {
        slot.request();
        slot.close();
        assertThat(slot.start()).isFalse();
    }
}
