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
    void closedSlot_startsNothing() {
        slot.request();
        slot.close();
        assertThat(slot.start()).isFalse();
    }
}
