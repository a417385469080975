package dev.autorebuild.core.debounce;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class QuietPeriodDebouncerTest {
    private static final long MS = 1_000_000L;
    private final QuietPeriodDebouncer<String, String> debouncer =
            new QuietPeriodDebouncer<>(new DebounceSettings(Duration.ofMillis(200), Duration.ofSeconds(2)));

    @Test
    void drainDue_beforeQuietPeriod_emitsNothing() {
        debouncer.offer("web", "a.txt", 0);
        assertThat(debouncer.drainDue(199 * MS)).isEmpty();
        assertThat(debouncer.nextDeadline()).hasValue(200 * MS);
    }

    @Test
    void drainDue_afterQuietPeriod_emitsEveryDistinctPathOnce() {
        debouncer.offer("web", "a.txt", 0);
        debouncer.offer("web", "b.txt", 50 * MS);
        debouncer.offer("web", "a.txt", 100 * MS);
        var batches = debouncer.drainDue(300 * MS);
        assertThat(batches).hasSize(1);
        assertThat(batches.get(0).items()).containsExactly("a.txt", "b.txt");
        assertThat(batches.get(0).events()).isEqualTo(3);
        assertThat(debouncer.isEmpty()).isTrue();
    }

    @Test
    void offer_extendsTheQuietPeriod() {
        debouncer.offer("web", "a", 0);
        debouncer.offer("web", "a", 150 * MS);
        assertThat(debouncer.drainDue(200 * MS)).isEmpty();
        assertThat(debouncer.drainDue(350 * MS)).hasSize(1);
    }

    @Test
    void steadyStream_isCutAtTheMaximumWait() {
        long t = 0;
        for (; t < 2000 * MS; t += 100 * MS) {
            debouncer.offer("web", "a", t);
            assertThat(debouncer.drainDue(t)).isEmpty();
        }
        assertThat(debouncer.drainDue(2000 * MS)).hasSize(1);
    }

    @Test
    void keys_haveIndependentWindows() {
        debouncer.offer("web", "a", 0);
        debouncer.offer("api", "b", 150 * MS);
        var first = debouncer.drainDue(200 * MS);
        assertThat(first).extracting(Batch::key).containsExactly("web");
        assertThat(debouncer.nextDeadline()).hasValue(350 * MS);
        assertThat(debouncer.drainDue(350 * MS)).extracting(Batch::key).containsExactly("api");
    }

    @Test
    void drainAll_closesEveryWindow() {
        debouncer.offer("web", "a", 0);
        debouncer.offer("api", "b", 0);
        assertThat(debouncer.drainAll()).hasSize(2);
        assertThat(debouncer.nextDeadline()).isEmpty();
    }

    @Test
    void monotonicClock_negativeNanoValuesStillWork() {
        long start = Long.MAX_VALUE - 50 * MS; // System.nanoTime may be anywhere, and may overflow
        debouncer.offer("web", "a", start);
        assertThat(debouncer.drainDue(start + 100 * MS)).isEmpty();
        assertThat(debouncer.drainDue(start + 200 * MS)).hasSize(1);
    }
}
