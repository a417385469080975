package dev.autorebuild.pipeline;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A ticker on virtual time: nothing runs until the test advances the clock. Single-threaded. */
final class VirtualTicker implements Ticker {
    private long now;
    private long sequence;
    private final List<Task> tasks = new ArrayList<>();

    private record Task(long due, long order, Runnable run, boolean[] cancelled) {}

    @Override
    public long nanoTime() {
        return now;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + delay.toNanos(), sequence++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    @Override
    public void execute(Runnable task) {
        schedule(task, Duration.ZERO);
        advance(Duration.ZERO);
    }

    void advance(Duration by) {
        long target = now + by.toNanos();
        while (true) {
            Task next = tasks.stream().filter(t -> t.due <= target)
                    .min(Comparator.comparingLong(Task::due).thenComparingLong(Task::order)).orElse(null);
            if (next == null) {
                break;
            }
            tasks.remove(next);
            now = Math.max(now, next.due);
            if (!next.cancelled[0]) {
                next.run.run();
            }
        }
        now = target;
    }

    long pendingTimers() {
        return tasks.stream().filter(t -> !t.cancelled[0]).count();
    }
}
