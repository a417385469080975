package dev.autorebuild.engine;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class BuildEndsTest {
    private final BuildEnds ends = new BuildEnds();

    @Test
    void aWaiterWakesWhenABuildEndsLongBeforeItsLimit() throws Exception {
        long seen = ends.count();
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                ends.awaitAfter(seen, Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        // it waits while no build ends (a waiter that returned at once would fail here)
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(5)).until(() -> !waiter.isDone());
        ends.ended();
        await().atMost(Duration.ofSeconds(10)).until(waiter::isDone); // not the ten minutes
        assertFalse(waiter.isCompletedExceptionally());
        assertEquals(seen + 1, ends.count());
    }

    @Test
    void aBuildThatEndedBetweenTheCountAndTheWaitIsNotMissed() throws Exception {
        long seen = ends.count();
        ends.ended(); // ends before the waiter gets to wait
        CompletableFuture<Void> waiter = CompletableFuture.runAsync(() -> {
            try {
                ends.awaitAfter(seen, Duration.ofMinutes(10));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(10)).until(waiter::isDone);
    }

    @Test
    void withoutABuildEndingTheWaitEndsAtItsLimit() throws Exception {
        long seen = ends.count();
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> ends.awaitAfter(seen, Duration.ofMillis(50)));
        assertEquals(seen, ends.count(), "nothing ended: the wait returned by its limit");
    }
}
