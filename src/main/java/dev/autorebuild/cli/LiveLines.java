package dev.autorebuild.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The terminal's live view, rendered: one line per component with a spinner and the build step it is
 * at ({@code Step 3/7}). Pure: the caller owns the terminal, the clock and the spinner's frame.
 */
final class LiveLines {
    private static final String[] SPINNER = {"⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"};
    private static final Pattern STEP = dev.autorebuild.core.build.StepLine.CLASSIC;
    /** BuildKit's plain progress: {@code #6 [stage-0 3/4] RUN make}, or {@code #6 [3/4] RUN make}. */
    private static final Pattern BUILDKIT_STEP = Pattern.compile("^#\\d+ \\[(?:[^\\]\\s]+ )?(\\d+/\\d+)\\] (.*)$");
    static final String GREEN = "\u001b[32m";
    static final String RED = "\u001b[31m";
    static final String YELLOW = "\u001b[33m";
    static final String DIM = "\u001b[2m";
    static final String RESET = "\u001b[0m";

    private LiveLines() {}

    /**
     * One component's line.
     *
     * @param state       idle, queued, waiting, building or failed
     * @param step        the last {@code Step n/m : instruction} of the build in progress
     * @param detail      how the last build ended (idle, failed) or why it waits
     * @param buildingFor how long the build in progress has run
     */
    record Row(String name, String state, Optional<String> step, String detail, Duration buildingFor) {}

    /**
     * The step of a build output line, if it is one: the classic builder's {@code Step 3/7 : COPY . /app}
     * or BuildKit's {@code #5 [stage-0 3/7] COPY . /app}, both shown as {@code Step 3/7 COPY . /app}.
     */
    static Optional<String> step(String outputLine) {
        for (Pattern pattern : List.of(STEP, BUILDKIT_STEP)) {
            Matcher m = pattern.matcher(outputLine);
            if (m.matches()) {
                return Optional.of("Step " + m.group(1) + " " + m.group(2));
            }
        }
        return Optional.empty();
    }

    static List<String> render(List<Row> rows, int frame, boolean color, int width) {
        int nameWidth = rows.stream().mapToInt(r -> r.name().length()).max().orElse(0);
        List<String> lines = new ArrayList<>();
        for (Row row : rows) {
            String mark;
            String tint;
            String text;
            switch (row.state()) {
                case "building" -> {
                    mark = SPINNER[Math.floorMod(frame, SPINNER.length)];
                    tint = YELLOW;
                    text = row.step().orElse("starting") + "  " + String.format(Locale.ROOT, "%.1fs", row.buildingFor().toMillis() / 1000.0);
                }
                case "failed" -> {
                    mark = "✖";
                    tint = RED;
                    text = row.detail();
                }
                case "queued", "waiting" -> {
                    mark = "…";
                    tint = YELLOW;
                    text = row.detail();
                }
                default -> {
                    mark = "✔";
                    tint = GREEN;
                    text = row.detail();
                }
            }
            String plain = String.format(Locale.ROOT, "%s %-" + nameWidth + "s  %-8s  %s", mark, row.name(), row.state(), oneLine(text));
            plain = plain.length() > width ? plain.substring(0, Math.max(0, width - 1)) + "…" : plain;
            lines.add(color ? tint + plain.substring(0, 1) + RESET + plain.substring(1) : plain);
        }
        return lines;
    }

    private static String oneLine(String text) {
        int newline = text.indexOf('\n');
        return newline < 0 ? text : text.substring(0, newline);
    }
}
