package dev.autorebuild.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Median and p99 of a sample (nearest rank: with fewer than 100 values, p99 is the maximum). */
record Stats(int n, double median, double p99, double min, double max) {

    static Stats of(List<Double> values) {
        if (values.isEmpty()) {
            return new Stats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return new Stats(sorted.size(), rank(sorted, 0.50), rank(sorted, 0.99), sorted.get(0), sorted.get(sorted.size() - 1));
    }

    private static double rank(List<Double> sorted, double q) {
        int index = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    String ms() {
        return String.format(Locale.ROOT, "p50 %.0f ms, p99 %.0f ms (n=%d)", median, p99, n);
    }
}
