package dev.autorebuild.core.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/**
 * A histogram family with labels and fixed buckets: per combination of label values, how many
 * observations fell at or under each bound ({@code _bucket}, cumulative, ending with {@code le="+Inf"}),
 * their count and their sum.
 */
public final class LabeledHistogram {
    private final String name;
    private final String help;
    private final double[] bounds;
    private final List<String> labelNames;
    private final List<String> bucketLabelNames;
    private final ConcurrentMap<List<String>, Cells> series = new ConcurrentHashMap<>();

    /**
     * @param name   the base name ({@code _bucket}, {@code _count} and {@code _sum} are added)
     * @param bounds the buckets' upper bounds, ascending
     */
    public LabeledHistogram(String name, String help, double[] bounds, String... labelNames) {
        for (int i = 1; i < bounds.length; i++) {
            if (!(bounds[i] > bounds[i - 1])) {
                throw new IllegalArgumentException(name + ": bucket bounds must ascend, " + bounds[i] + " follows " + bounds[i - 1]);
            }
        }
        this.name = name;
        this.help = help;
        this.bounds = bounds.clone();
        this.labelNames = List.of(labelNames);
        List<String> withLe = new ArrayList<>(this.labelNames);
        withLe.add("le");
        this.bucketLabelNames = List.copyOf(withLe);
    }

    /** @throws IllegalArgumentException when the values do not match the label names */
    public void observe(double value, String... labelValues) {
        Cells cells = series.computeIfAbsent(Labels.values(name, labelNames, labelValues), k -> new Cells(bounds.length + 1));
        int bucket = 0;
        while (bucket < bounds.length && value > bounds[bucket]) {
            bucket++;
        }
        cells.inBucket[bucket].increment();
        cells.sum.add(value);
    }

    /** Nothing until the first observation. */
    public void writeTo(PrometheusText out) {
        if (series.isEmpty()) {
            return;
        }
        out.family(name, PrometheusText.Type.HISTOGRAM, help);
        Labels.sorted(series).forEach((values, cells) -> {
            long cumulative = 0;
            for (int i = 0; i <= bounds.length; i++) {
                cumulative += cells.inBucket[i].sum();
                List<String> withLe = new ArrayList<>(values);
                withLe.add(i < bounds.length ? PrometheusText.number(bounds[i]) : "+Inf");
                out.sample(name + "_bucket", bucketLabelNames, withLe, cumulative);
            }
            // the count is the +Inf bucket's, read once, so a scrape during an observation stays consistent
            out.sample(name + "_count", labelNames, values, cumulative);
            out.sample(name + "_sum", labelNames, values, cells.sum.sum());
        });
    }

    /** One series' counts: observations per bucket (not cumulative; the last is over every bound) and their sum. */
    private static final class Cells {
        final LongAdder[] inBucket;
        final DoubleAdder sum = new DoubleAdder();

        Cells(int buckets) {
            inBucket = new LongAdder[buckets];
            for (int i = 0; i < buckets; i++) {
                inBucket[i] = new LongAdder();
            }
        }
    }
}
