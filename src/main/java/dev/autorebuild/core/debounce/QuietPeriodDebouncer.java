package dev.autorebuild.core.debounce;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * A per-key quiet-period debouncer with a maximum wait, on a clock the caller supplies (monotonic
 * nanoseconds, so laptop sleep or a wall-clock jump cannot stretch or skip a window).
 *
 * <p>Each key has its own window: a burst in one component never delays another. Pure and
 * single-threaded: the Mutiny operator drives it from one thread.
 */
public final class QuietPeriodDebouncer<K, V> {
    private long quietNanos;
    private long maxWaitNanos;
    private final Map<K, Window<V>> open = new LinkedHashMap<>();

    public QuietPeriodDebouncer(DebounceSettings settings) {
        use(settings);
    }

    /** New settings (a configuration reload): open windows close by the new ones from now on. */
    public void use(DebounceSettings settings) {
        this.quietNanos = settings.quiet().toNanos();
        this.maxWaitNanos = settings.maxWait().toNanos();
    }

    public void offer(K key, V item, long nowNanos) {
        Window<V> window = open.computeIfAbsent(key, k -> new Window<>(nowNanos));
        window.items.add(item);
        window.lastNanos = nowNanos;
        window.events++;
    }

    /** Closes and returns every window whose quiet period or maximum wait has passed. */
    public List<Batch<K, V>> drainDue(long nowNanos) {
        List<Batch<K, V>> due = new ArrayList<>();
        for (Iterator<Map.Entry<K, Window<V>>> it = open.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Window<V>> entry = it.next();
            if (nowNanos - deadline(entry.getValue()) >= 0) {
                due.add(new Batch<>(entry.getKey(), entry.getValue().items, entry.getValue().events));
                it.remove();
            }
        }
        return due;
    }

    /** Closes every window at once (the stream ended). */
    public List<Batch<K, V>> drainAll() {
        List<Batch<K, V>> all = new ArrayList<>();
        open.forEach((key, window) -> all.add(new Batch<>(key, window.items, window.events)));
        open.clear();
        return all;
    }

    /** When the next window closes, if any is open. */
    public OptionalLong nextDeadline() {
        return open.values().stream().mapToLong(this::deadline).min();
    }

    public boolean isEmpty() {
        return open.isEmpty();
    }

    private long deadline(Window<V> window) {
        long quietEnd = window.lastNanos + quietNanos;
        long capEnd = window.firstNanos + maxWaitNanos;
        return quietEnd - capEnd < 0 ? quietEnd : capEnd;
    }

    private static final class Window<V> {
        final long firstNanos;
        long lastNanos;
        int events;
        final Set<V> items = new LinkedHashSet<>();

        Window(long firstNanos) {
            this.firstNanos = firstNanos;
            this.lastNanos = firstNanos;
        }
    }
}
