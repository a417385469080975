package dev.autorebuild.view;

import dev.autorebuild.engine.RebuildListener;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.Builder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The recent builds of each component, newest first, each with the tail of its output: what the HTTP
 * API's build history and the dashboard's log pane show. Bounded ({@link #BUILDS_KEPT} builds of
 * {@link #LINES_KEPT} lines per component), so a daemon left running for weeks does not grow.
 */
public final class BuildHistory implements RebuildListener {
    public static final int BUILDS_KEPT = 20;
    public static final int LINES_KEPT = 200;

    public enum Result { RUNNING, SUCCEEDED, FAILED, CANCELLED }

    /**
     * @param changedFiles files that differed from the last image when the build started
     * @param detail       the image id, or why it failed (with the failing step)
     * @param builder      the builder it ran on; empty when it failed before it started
     */
    public record Build(String component, Instant started, Optional<Duration> took, Result result, int changedFiles,
                        String detail, List<String> logTail, Optional<Builder> builder) {}

    private final Clock clock;
    private final Map<String, Deque<Build>> byComponent = new HashMap<>();
    private final Map<String, Deque<String>> running = new HashMap<>();

    public BuildHistory(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void on(RebuildEvent event) {
        if (event instanceof RebuildEvent.BuildStarted s) {
            String name = s.component().folder();
            running.put(name, new ArrayDeque<>());
            Deque<Build> builds = byComponent.computeIfAbsent(name, k -> new ArrayDeque<>());
            builds.addFirst(new Build(name, clock.instant(), Optional.empty(), Result.RUNNING, s.changedFiles(), "", List.of(),
                    Optional.of(s.builder())));
            while (builds.size() > BUILDS_KEPT) {
                builds.removeLast();
            }
        } else if (event instanceof RebuildEvent.BuildOutput o) {
            Deque<String> lines = running.get(o.component().folder());
            if (lines != null) {
                lines.addLast(o.line());
                if (lines.size() > LINES_KEPT) {
                    lines.removeFirst();
                }
            }
        } else if (event instanceof RebuildEvent.BuildSucceeded b) {
            finish(b.component().folder(), Result.SUCCEEDED, b.took(), b.imageId());
        } else if (event instanceof RebuildEvent.BuildFailed f) {
            finish(f.component().folder(), Result.FAILED, f.took(), f.step().map(step -> "at \"" + step + "\": ").orElse("") + f.message());
        } else if (event instanceof RebuildEvent.BuildCancelled c) {
            finish(c.component().folder(), Result.CANCELLED, c.took(), c.reason());
        } else if (event instanceof RebuildEvent.ComponentRemoved r) {
            byComponent.remove(r.component().folder());
            running.remove(r.component().folder());
        }
    }

    private void finish(String name, Result result, Duration took, String detail) {
        Deque<String> lines = running.remove(name);
        Deque<Build> builds = byComponent.get(name);
        Build current = builds == null ? null : builds.peekFirst();
        if (current == null || current.result() != Result.RUNNING) { // failed before it started (no BuildStarted)
            builds = byComponent.computeIfAbsent(name, k -> new ArrayDeque<>());
            builds.addFirst(new Build(name, clock.instant().minus(took), Optional.of(took), result, 0, detail, List.of(), Optional.empty()));
            return;
        }
        builds.removeFirst();
        builds.addFirst(new Build(name, current.started(), Optional.of(took), result, current.changedFiles(), detail,
                lines == null ? List.of() : List.copyOf(lines), current.builder()));
    }

    /** The recent builds of one component (newest first); a running build carries the output so far. */
    public synchronized List<Build> of(String component) {
        Deque<Build> builds = byComponent.get(component);
        if (builds == null) {
            return List.of();
        }
        List<Build> out = new ArrayList<>();
        for (Build b : builds) {
            Deque<String> lines = b.result() == Result.RUNNING ? running.get(component) : null;
            out.add(lines == null ? b : new Build(b.component(), b.started(), b.took(), b.result(), b.changedFiles(), b.detail(),
                    List.copyOf(lines), b.builder()));
        }
        return out;
    }

    /** Every component's recent builds, newest first overall. */
    public synchronized List<Build> all() {
        List<Build> out = new ArrayList<>();
        byComponent.keySet().forEach(name -> out.addAll(of(name)));
        out.sort((a, b) -> b.started().compareTo(a.started()));
        return out;
    }
}
