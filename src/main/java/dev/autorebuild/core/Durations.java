package dev.autorebuild.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them: {@code 500ms}, {@code 2s}, {@code 1.5s}, {@code 10m}, {@code 1h30m}, {@code 0}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)");

    private Durations() {}

    public static Duration parse(String text) {
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        if (trimmed.isEmpty()) {
            throw new IllegalArgumentException("empty duration; write e.g. 500ms, 2s, 10m or 1h30m");
        }
        Matcher m = PART.matcher(trimmed);
        Duration total = Duration.ZERO;
        int at = 0;
        while (at < trimmed.length()) {
            if (!m.find(at) || m.start() != at) {
                throw new IllegalArgumentException(
                        "'" + text + "' is not a duration; write e.g. 500ms, 2s, 10m or 1h30m");
            }
            java.math.BigDecimal n = new java.math.BigDecimal(m.group(1));
            long unitNanos = switch (m.group(2)) {
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            java.math.BigDecimal nanos = n.multiply(java.math.BigDecimal.valueOf(unitNanos));
            if (nanos.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                throw new IllegalArgumentException("'" + text.strip() + "' is longer than any wait auto-rebuild needs; write at most 24h");
            }
            total = total.plusNanos(nanos.longValue());
            at = m.end();
        }
        return total;
    }

    /** The shortest of the forms {@link #parse} reads, for log lines and status output. */
    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 1000 != 0 || ms < 1000) {
            // one decimal, whatever the locale: "1.5s" is what parse reads back
            return ms < 1000 ? ms + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
        }
        long s = ms / 1000;
        StringBuilder out = new StringBuilder();
        if (s >= 3600) {
            out.append(s / 3600).append('h');
            s %= 3600;
        }
        if (s >= 60) {
            out.append(s / 60).append('m');
            s %= 60;
        }
        if (s > 0) {
            out.append(s).append('s');
        }
        return out.toString();
    }
}
