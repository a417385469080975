package dev.autorebuild.core.metrics;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Label values as map keys, checked against their names, and their order in the output. */
final class Labels {
    /** Samples in the order of their label values, first label first: the output reads the same at every scrape. */
    static final Comparator<List<String>> ORDER = (a, b) -> {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = a.get(i).compareTo(b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    };

    private Labels() {}

    /** A copy of {@code series} in {@link #ORDER}, for writing. */
    static <V> Map<List<String>, V> sorted(Map<List<String>, V> series) {
        Map<List<String>, V> sorted = new TreeMap<>(ORDER);
        sorted.putAll(series);
        return sorted;
    }

    static List<String> values(String family, List<String> names, String... values) {
        if (values.length != names.size()) {
            throw new IllegalArgumentException(family + " has labels " + names + " but was given " + values.length + " value(s)");
        }
        return List.of(values);
    }
}
