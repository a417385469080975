package dev.autorebuild.pipeline;

import dev.autorebuild.core.debounce.Batch;
import dev.autorebuild.core.debounce.DebounceSettings;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.helpers.test.AssertSubscriber;
import io.smallrye.mutiny.operators.multi.processors.UnicastProcessor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class PerKeyDebounceTest {
    private final VirtualTicker ticker = new VirtualTicker();
    private UnicastProcessor<String> source;
    private AssertSubscriber<Batch<String, String>> out;

    /** Items are "component/path"; the key is the component. */
    @BeforeEach
    void wire() {
        source = UnicastProcessor.create();
        Multi<Batch<String, String>> debounced = source.plug(PerKeyDebounce.of(
                new DebounceSettings(Duration.ofMillis(200), Duration.ofSeconds(2)),
                s -> s.substring(0, s.indexOf('/')), s -> s.substring(s.indexOf('/') + 1), ticker));
        out = debounced.subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
    }

    @Test
    void burst_becomesOneBatchAfterTheQuietPeriod() {
        for (int i = 0; i < 1000; i++) {
            source.onNext("web/file" + (i % 10));
        }
        ticker.advance(Duration.ofMillis(199));
        assertThat(out.getItems()).isEmpty();
        ticker.advance(Duration.ofMillis(1));
        assertThat(out.getItems()).hasSize(1);
        assertThat(out.getItems().get(0).items()).hasSize(10);
        assertThat(out.getItems().get(0).events()).isEqualTo(1000);
    }

    @Test
    void steadyWrites_areCutByTheMaximumWait() {
        for (int i = 0; i < 25; i++) {
            source.onNext("web/a");
            ticker.advance(Duration.ofMillis(100));
        }
        assertThat(out.getItems()).hasSize(1); // at 2 s, although writes never paused for 200 ms
    }

    @Test
    void components_doNotDelayEachOther() {
        source.onNext("web/a");
        ticker.advance(Duration.ofMillis(150));
        source.onNext("api/b");
        ticker.advance(Duration.ofMillis(50));
        assertThat(out.getItems()).extracting(Batch::key).containsExactly("web");
        ticker.advance(Duration.ofMillis(150));
        assertThat(out.getItems()).extracting(Batch::key).containsExactly("web", "api");
    }

    @Test
    void completion_flushesOpenWindows_andLeavesNoTimer() {
        source.onNext("web/a");
        source.onComplete();
        out.assertCompleted();
        assertThat(out.getItems()).hasSize(1);
        assertThat(ticker.pendingTimers()).isZero();
    }

    @Test
    void anItemThatCannotBeTakenIn_isSkippedAndSaid_andTheStreamLivesOn() {
        java.util.List<RuntimeException> skipped = new java.util.ArrayList<>();
        UnicastProcessor<String> items = UnicastProcessor.create();
        AssertSubscriber<Batch<String, String>> batches = items.plug(PerKeyDebounce.of(
                () -> new DebounceSettings(Duration.ofMillis(200), Duration.ofSeconds(2)),
                s -> s.substring(0, s.indexOf('/')), s -> s.substring(s.indexOf('/') + 1), ticker, skipped::add))
                .subscribe().withSubscriber(AssertSubscriber.create(Long.MAX_VALUE));
        items.onNext("web/a");
        items.onNext("no slash, so no key"); // its key function throws
        items.onNext("web/b");
        ticker.advance(Duration.ofMillis(200));
        assertThat(skipped).singleElement().isInstanceOf(StringIndexOutOfBoundsException.class);
        batches.assertNotTerminated();
        assertThat(batches.getItems()).singleElement().satisfies(b -> assertThat(b.items()).containsExactly("a", "b"));
    }

    @Test
    void cancellation_stopsTheTimer() {
        source.onNext("web/a");
        assertThat(ticker.pendingTimers()).isEqualTo(1);
        out.cancel();
        assertThat(ticker.pendingTimers()).isZero();
        ticker.advance(Duration.ofSeconds(5));
        assertThat(out.getItems()).isEmpty();
    }
}
