package dev.autorebuild.core.metrics;

import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;

/** A counter family with labels: one count per combination of label values, written in their order. */
public final class LabeledCounter {
    private final String name;
    private final String help;
    private final List<String> labelNames;
    private final ConcurrentMap<List<String>, LongAdder> counts = new ConcurrentHashMap<>();

    /** @param name the full name, {@code _total} included */
    public LabeledCounter(String name, String help, String... labelNames) {
        this.name = name;
        this.help = help;
        this.labelNames = List.of(labelNames);
    }

    /** @throws IllegalArgumentException when the values do not match the label names */
    public void increment(String... labelValues) {
        counts.computeIfAbsent(Labels.values(name, labelNames, labelValues), k -> new LongAdder()).increment();
    }

    /** Nothing until the first increment: a family without samples says nothing. */
    public void writeTo(PrometheusText out) {
        if (counts.isEmpty()) {
            return;
        }
        out.family(name, PrometheusText.Type.COUNTER, help);
        Labels.sorted(counts).forEach((values, count) -> out.sample(name, labelNames, values, count.sum()));
    }
}
