package dev.autorebuild.support;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.RebuildListener;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.awaitility.Awaitility.await;

/** Records the engine's events so tests can wait for exactly what they expect, never for a fixed time. */
public final class EventRecorder implements RebuildListener {
    private final List<RebuildEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void on(RebuildEvent event) {
        events.add(event);
    }

    public int size() {
        return events.size();
    }

    public <T extends RebuildEvent> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    public <T extends RebuildEvent> List<T> since(int mark, Class<T> type) {
        List<RebuildEvent> snapshot = List.copyOf(events); // a sub-list view would break when an event arrives meanwhile
        return snapshot.subList(Math.min(mark, snapshot.size()), snapshot.size()).stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Waits until an event of {@code type} matching {@code match} arrives after {@code mark}; returns it. */
    public <T extends RebuildEvent> T awaitEvent(int mark, Class<T> type, Predicate<T> match, Duration atMost) {
        Awaitility.setDefaultPollInterval(Duration.ofMillis(20));
        try {
            await().atMost(atMost).until(() -> since(mark, type).stream().anyMatch(match));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            List<RebuildEvent> seen = all();
            throw new AssertionError("no matching " + type.getSimpleName() + " within " + atMost + "; the last events:\n  "
                    + String.join("\n  ", seen.subList(Math.max(0, seen.size() - 40), seen.size()).stream().map(Object::toString).toList()), e);
        }
        return since(mark, type).stream().filter(match).findFirst().orElseThrow();
    }

    public List<RebuildEvent> all() {
        return List.copyOf(events);
    }
}
