package dev.autorebuild.docker;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Turns BuildKit's progress updates into the plain lines {@code docker build --progress=plain} prints,
 * one event at a time: {@code #5 [stage-0 2/4] COPY . /app}, {@code #5 CACHED}, the output lines of a
 * RUN step as {@code #6 …}, {@code #6 DONE 0.3s}, {@code #6 ERROR: …}, {@code WARNING: …}, and a
 * transfer once it completed, {@code #5 transferring context: 2.048kB done}. Steps are
 * numbered in the order they first appear, as the CLI does. Remembers the step that failed.
 *
 * <p>Not thread-safe: one build's updates arrive in order on one thread.
 */
final class BuildKitProgress {
    private final Consumer<String> lines;
    private final Map<String, Step> steps = new HashMap<>();
    private volatile String failedStep;
    /** The last step announced: what a cancelled build was doing (read from the thread that cancels). */
    private volatile String currentStep;

    BuildKitProgress(Consumer<String> lines) {
        this.lines = lines;
    }

    private static final class Step {
        final int number;
        String name = "";
        boolean announced;
        boolean ended;
        final StringBuilder partialOutput = new StringBuilder();
        final java.util.Set<String> statusesDone = new java.util.HashSet<>();

        Step(int number) {
            this.number = number;
        }
    }

    void accept(BuildKitStatus update) {
        for (BuildKitStatus.Vertex v : update.vertexes()) {
            Step step = step(v.digest());
            if (!v.name().isEmpty()) {
                step.name = v.name();
            }
            if (v.startedNanos().isPresent() || v.cached() || v.completedNanos().isPresent()) {
                announce(step);
            }
            if (step.ended) {
                continue;
            }
            if (v.error().isPresent()) {
                flushOutput(step);
                step.ended = true;
                failedStep = failedStep == null ? step.name : failedStep;
                lines.accept("#" + step.number + " ERROR: " + v.error().get());
            } else if (v.cached()) {
                step.ended = true;
                lines.accept("#" + step.number + " CACHED");
            } else if (v.completedNanos().isPresent()) {
                flushOutput(step);
                step.ended = true;
                long tookNanos = v.completedNanos().get() - v.startedNanos().orElse(v.completedNanos().get());
                lines.accept("#" + step.number + " DONE " + String.format(Locale.ROOT, "%.1fs", tookNanos / 1e9));
            }
        }
        for (BuildKitStatus.Status status : update.statuses()) {
            Step step = step(status.vertex());
            if (status.completed() && step.statusesDone.add(status.id())) {
                announce(step);
                lines.accept("#" + step.number + " " + status.id() + (status.current() > 0 ? " " + humanSize(status.current()) : "") + " done");
            }
        }
        for (BuildKitStatus.Log log : update.logs()) {
            Step step = step(log.vertex());
            announce(step);
            step.partialOutput.append(new String(log.message(), StandardCharsets.UTF_8));
            int newline;
            while ((newline = step.partialOutput.indexOf("\n")) >= 0) {
                output(step, step.partialOutput.substring(0, newline));
                step.partialOutput.delete(0, newline + 1);
            }
        }
        for (BuildKitStatus.Warning warning : update.warnings()) {
            lines.accept("WARNING: " + warning.text().strip());
            warning.detail().forEach(d -> lines.accept("  " + d.strip()));
        }
    }

    /** Bytes as the CLI prints them: decimal units, four significant digits ({@code 54B}, {@code 2.048kB}, {@code 12.5MB}). */
    static String humanSize(long bytes) {
        String[] units = {"B", "kB", "MB", "GB", "TB"};
        double size = bytes;
        int unit = 0;
        while (size >= 1000 && unit < units.length - 1) {
            size /= 1000;
            unit++;
        }
        return new java.math.BigDecimal(size).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString() + units[unit];
    }

    Optional<String> currentStep() {
        return Optional.ofNullable(currentStep);
    }

    /** The name of the first step that failed ({@code [stage-0 3/3] RUN make}), if one did. */
    Optional<String> failedStep() {
        return Optional.ofNullable(failedStep);
    }

    /** Prints what is left of unfinished output lines (the build ended or was cut). */
    void flush() {
        steps.values().stream().sorted((a, b) -> Integer.compare(a.number, b.number)).forEach(this::flushOutput);
    }

    private Step step(String digest) {
        return steps.computeIfAbsent(digest, d -> new Step(steps.size() + 1));
    }

    private void announce(Step step) {
        if (!step.announced) {
            step.announced = true;
            currentStep = step.name;
            lines.accept("#" + step.number + " " + step.name);
        }
    }

    private void flushOutput(Step step) {
        if (step.partialOutput.length() > 0) {
            output(step, step.partialOutput.toString());
            step.partialOutput.setLength(0);
        }
    }

    private void output(Step step, String line) {
        String clean = line.stripTrailing();
        if (!clean.isEmpty()) {
            lines.accept("#" + step.number + " " + clean);
        }
    }
}
