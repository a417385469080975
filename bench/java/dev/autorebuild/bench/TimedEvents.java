package dev.autorebuild.bench;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.RebuildListener;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The engine's events with the monotonic time each arrived, for latencies measured in this process. */
final class TimedEvents implements RebuildListener {
    record Timed(long nanos, RebuildEvent event) {}

    private final List<Timed> events = new CopyOnWriteArrayList<>();

    @Override
    public void on(RebuildEvent event) {
        events.add(new Timed(System.nanoTime(), event));
    }

    int mark() {
        return events.size();
    }

    <T extends RebuildEvent> List<T> since(int mark, Class<T> type) {
        List<Timed> snapshot = List.copyOf(events);
        return snapshot.subList(Math.min(mark, snapshot.size()), snapshot.size()).stream()
                .map(Timed::event).filter(type::isInstance).map(type::cast).toList();
    }

    /** The arrival times of the events of {@code type} after {@code mark}. */
    <T extends RebuildEvent> List<Long> timesSince(int mark, Class<T> type) {
        List<Timed> snapshot = List.copyOf(events);
        return snapshot.subList(Math.min(mark, snapshot.size()), snapshot.size()).stream()
                .filter(t -> type.isInstance(t.event())).map(Timed::nanos).toList();
    }

    /**
     * The builds since {@code mark} that produced an image, as {start, end} in nanoseconds: a build
     * cancelled for newer changes or failed produced none and is left out.
     */
    List<long[]> successfulBuildSpans(int mark) {
        List<Timed> snapshot = List.copyOf(events);
        List<long[]> spans = new java.util.ArrayList<>();
        Long started = null;
        for (Timed t : snapshot.subList(Math.min(mark, snapshot.size()), snapshot.size())) {
            if (t.event() instanceof RebuildEvent.BuildStarted) {
                started = t.nanos();
            } else if (t.event() instanceof RebuildEvent.BuildSucceeded && started != null) {
                spans.add(new long[] {started, t.nanos()});
                started = null;
            } else if (t.event() instanceof RebuildEvent.BuildCancelled || t.event() instanceof RebuildEvent.BuildFailed) {
                started = null;
            }
        }
        return spans;
    }

    /** Waits (polling every millisecond) for the first event of {@code type} after {@code mark} that matches; its arrival time. */
    <T extends RebuildEvent> Timed await(int mark, Class<T> type, Predicate<T> match, Duration atMost) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Timed> found = find(mark, type, match);
            if (found.isPresent()) {
                return found.get();
            }
            pause();
        }
        throw new IllegalStateException("no " + type.getSimpleName() + " within " + atMost);
    }

    <T extends RebuildEvent> Optional<Timed> find(int mark, Class<T> type, Predicate<T> match) {
        List<Timed> snapshot = List.copyOf(events);
        return snapshot.subList(Math.min(mark, snapshot.size()), snapshot.size()).stream()
                .filter(t -> type.isInstance(t.event()) && match.test(type.cast(t.event()))).findFirst();
    }

    static void pause() {
        try {
            Thread.sleep(1); // a benchmark's polling loop, not a test's synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
