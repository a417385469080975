package dev.autorebuild.core;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses durations as people write them: {@code 500ms}, {@code 2s}, {@code 10m}, {@code 1h30m}, {@code 0}. */
public final class Durations {
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|h|m|s)");

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
            long n = Long.parseLong(m.group(1));
            total = total.plus(switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            });
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
            return ms < 1000 ? ms + "ms" : String.format("%.1fs", ms / 1000.0);
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
