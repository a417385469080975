package dev.autorebuild.core.debounce;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one key gathered during one debounce window: every distinct item, in first-seen order.
 *
 * @param events how many items were offered, duplicates included (for "1,000 writes → 1 build" logs)
 */
public record Batch<K, V>(K key, Set<V> items, int events) {
    public Batch {
        Objects.requireNonNull(key, "key");
        items = Collections.unmodifiableSet(new LinkedHashSet<>(items));
    }
}
