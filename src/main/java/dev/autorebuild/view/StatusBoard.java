package dev.autorebuild.view;

import dev.autorebuild.engine.RebuildListener;
import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.Builder;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What each component is doing and how its last build and redeploy went, kept from the engine's events, for
 * {@code auto-rebuild -s status}, the HTTP API and the dashboard. Thread-safe; cheap on every event.
 */
public final class StatusBoard implements RebuildListener {
    /** WAITING: it has changes, but builds are held (git is writing the work tree, or the engine is down). */
    public enum State { IDLE, QUEUED, WAITING, BUILDING, FAILED }

    /** @param builder the builder it ran on; empty when it failed before it started */
    public record LastBuild(Instant started, Duration took, boolean succeeded, String detail, Optional<Builder> builder) {}

    /** How the last redeploy of a component ended. */
    public record LastRedeploy(Instant at, boolean succeeded, String detail) {}

    /** How the last live sync into a component's container ended: {@code detail} says what was copied, or why it failed. */
    public record LastSync(Instant at, boolean succeeded, String detail) {}

    /** The container engine stopped answering at {@code since}, for {@code reason}. */
    public record EngineOutage(Instant since, String reason) {}

    private EngineOutage outage;

    /** Whether the container engine answers now, as the last engine event said. */
    public synchronized Optional<EngineOutage> engineOutage() {
        return Optional.ofNullable(outage);
    }

    /** One component's line in the status. */
    public record ComponentStatus(Component component, State state, Optional<LastBuild> lastBuild,
                                  Optional<String> digest, Optional<LastRedeploy> lastRedeploy, Optional<LastSync> lastSync) {}

    private final Clock clock;
    private final Map<String, ComponentStatus> byFolder = new TreeMap<>();
    private final Map<String, Instant> buildStarts = new TreeMap<>();
    private final Map<String, Builder> builders = new TreeMap<>();

    public StatusBoard(Clock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void on(RebuildEvent event) {
        if (event instanceof RebuildEvent.EngineDown d) {
            outage = new EngineOutage(clock.instant(), d.reason());
        } else if (event instanceof RebuildEvent.EngineBack) {
            outage = null;
        } else if (event instanceof RebuildEvent.Watching w) {
            w.components().forEach(c -> byFolder.put(c.folder(), idle(c)));
        } else if (event instanceof RebuildEvent.ComponentAdded a) {
            byFolder.put(a.component().folder(), idle(a.component()));
        } else if (event instanceof RebuildEvent.ComponentRemoved r) {
            byFolder.remove(r.component().folder());
        } else if (event instanceof RebuildEvent.UpToDate u) {
            update(u.component(), s -> new ComponentStatus(s.component(), s.state(), s.lastBuild(), Optional.of(u.digest()), s.lastRedeploy(), s.lastSync()));
        } else if (event instanceof RebuildEvent.BuildWaiting w) {
            update(w.component(), s -> with(s, State.WAITING));
        } else if (event instanceof RebuildEvent.BuildQueued q) {
            update(q.component(), s -> with(s, State.QUEUED));
        } else if (event instanceof RebuildEvent.NoContentChange n) {
            update(n.component(), s -> s.state() == State.QUEUED ? with(s, State.IDLE) : s);
        } else if (event instanceof RebuildEvent.BuildStarted b) {
            buildStarts.put(b.component().folder(), clock.instant());
            builders.put(b.component().folder(), b.builder());
            update(b.component(), s -> with(s, State.BUILDING));
        } else if (event instanceof RebuildEvent.BuildSucceeded b) {
            LastBuild last = new LastBuild(startOf(b.component(), b.took()), b.took(), true, b.imageId(), builderOf(b.component()));
            update(b.component(), s -> new ComponentStatus(s.component(), State.IDLE, Optional.of(last), Optional.of(b.digest()), s.lastRedeploy(), s.lastSync()));
        } else if (event instanceof RebuildEvent.BuildFailed f) {
            String detail = f.step().map(step -> "at \"" + step + "\": ").orElse("") + f.message();
            LastBuild last = new LastBuild(startOf(f.component(), f.took()), f.took(), false, detail, builderOf(f.component()));
            update(f.component(), s -> new ComponentStatus(s.component(), State.FAILED, Optional.of(last), s.digest(), s.lastRedeploy(), s.lastSync()));
        } else if (event instanceof RebuildEvent.BuildCancelled c) {
            buildStarts.remove(c.component().folder());
            builders.remove(c.component().folder());
            update(c.component(), s -> with(s, State.QUEUED)); // its rerun follows at once
        } else if (event instanceof RebuildEvent.Redeployed r) {
            LastRedeploy last = new LastRedeploy(clock.instant(), true, r.containerId());
            update(r.component(), s -> new ComponentStatus(s.component(), s.state(), s.lastBuild(), s.digest(), Optional.of(last), s.lastSync()));
        } else if (event instanceof RebuildEvent.RedeployFailed r) {
            LastRedeploy last = new LastRedeploy(clock.instant(), false, r.reason());
            update(r.component(), s -> new ComponentStatus(s.component(), s.state(), s.lastBuild(), s.digest(), Optional.of(last), s.lastSync()));
        } else if (event instanceof RebuildEvent.Synced y) {
            LastSync last = new LastSync(clock.instant(), true, y.action() + ", " + y.copied() + " copied, " + y.deleted() + " deleted"
                    + y.execOutput().map(o -> "; " + o).orElse(""));
            update(y.component(), s -> new ComponentStatus(s.component(), s.state(), s.lastBuild(), s.digest(), s.lastRedeploy(), Optional.of(last)));
        } else if (event instanceof RebuildEvent.SyncFailed y) {
            LastSync last = new LastSync(clock.instant(), false, y.why());
            update(y.component(), s -> new ComponentStatus(s.component(), s.state(), s.lastBuild(), s.digest(), s.lastRedeploy(), Optional.of(last)));
        }
    }

    /** The components' status, by folder name. */
    public synchronized List<ComponentStatus> components() {
        return List.copyOf(byFolder.values());
    }

    private Instant startOf(Component component, Duration took) {
        Instant started = buildStarts.remove(component.folder());
        return started != null ? started : clock.instant().minus(took);
    }

    private Optional<Builder> builderOf(Component component) {
        return Optional.ofNullable(builders.remove(component.folder()));
    }

    private void update(Component component, java.util.function.UnaryOperator<ComponentStatus> change) {
        byFolder.computeIfPresent(component.folder(), (k, s) -> change.apply(s));
    }

    private static ComponentStatus idle(Component c) {
        return new ComponentStatus(c, State.IDLE, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static ComponentStatus with(ComponentStatus s, State state) {
        return new ComponentStatus(s.component(), state, s.lastBuild(), s.digest(), s.lastRedeploy(), s.lastSync());
    }
}
