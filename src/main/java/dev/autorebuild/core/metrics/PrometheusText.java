package dev.autorebuild.core.metrics;

import java.util.List;
import java.util.Locale;

/**
 * Prometheus's text exposition format, version 0.0.4 (what every Prometheus scrapes, and what a person
 * reads with curl): per family a {@code # HELP} and a {@code # TYPE} line, then its samples, one per
 * line, {@code name{label="value",…} number}.
 * <p>
 * The daemon's metrics are few and scraped rarely, so they are written by hand rather than through a
 * metrics library: micrometer and its Quarkus extension loaded about 650 classes at every start (7 MB
 * resident, bench/ scenario 5) for the same lines.
 */
public final class PrometheusText {
    /** The content type to serve this text with. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    public enum Type {
        COUNTER, GAUGE, HISTOGRAM, SUMMARY;

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final StringBuilder out = new StringBuilder(4096);

    /** Starts a family: its help (escaped here) and type. */
    public PrometheusText family(String name, Type type, String help) {
        out.append("# HELP ").append(name).append(' ').append(escapeHelp(help)).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type.keyword()).append('\n');
        return this;
    }

    /** A sample without labels. */
    public PrometheusText sample(String name, double value) {
        return sample(name, List.of(), List.of(), value);
    }

    /**
     * A sample; {@code labelNames} and {@code labelValues} pair up in order (values escaped here).
     *
     * @throws IllegalArgumentException when they do not pair up
     */
    public PrometheusText sample(String name, List<String> labelNames, List<String> labelValues, double value) {
        if (labelNames.size() != labelValues.size()) {
            throw new IllegalArgumentException(name + ": " + labelNames.size() + " label names but " + labelValues.size() + " values");
        }
        out.append(name);
        if (!labelNames.isEmpty()) {
            out.append('{');
            for (int i = 0; i < labelNames.size(); i++) {
                out.append(i == 0 ? "" : ",").append(labelNames.get(i)).append("=\"").append(escapeLabelValue(labelValues.get(i))).append('"');
            }
            out.append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    public String text() {
        return out.toString();
    }

    /** A number as the format spells it: {@code +Inf}, {@code -Inf}, {@code NaN}, else Java's own digits (Go's parser reads {@code 1.5E7}). */
    public static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        return Double.toString(value);
    }

    /** In a label value, a backslash, a double quote and a line feed are escaped. */
    static String escapeLabelValue(String value) {
        return escapeHelp(value).replace("\"", "\\\"");
    }

    /** In help text, a backslash and a line feed are escaped. */
    static String escapeHelp(String text) {
        return text.replace("\\", "\\\\").replace("\n", "\\n");
    }
}
