package dev.autorebuild.engine;

import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.FileEvent;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.engine.EventRouter.Touch;
import dev.autorebuild.fs.PathNames;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * The pipeline thread's first step: each file event becomes the components it touches (routing and
 * filtering, no I/O), counted as work in flight until its debounce batch is judged. An overflow of the
 * watch queue touches every component, held until the writes settle.
 */
final class EventRouting {
    private final Path workspace;
    private final ConfigSource configSource;
    private final WorkspaceModel model;
    private final OverflowHold overflowHold;
    private final PipelineCounters counters;
    private final InFlight inFlight;
    private final Consumer<String> warn;

    EventRouting(Path workspace, ConfigSource configSource, WorkspaceModel model, OverflowHold overflowHold, PipelineCounters counters,
            InFlight inFlight, Consumer<String> warn) {
        this.workspace = workspace;
        this.configSource = configSource;
        this.model = model;
        this.overflowHold = overflowHold;
        this.counters = counters;
        this.inFlight = inFlight;
        this.warn = warn;
    }

    /** An event that cannot be routed is said and skipped: the stream, and the daemon's watching, live on. */
    List<Touch> routeSafely(FileEvent event) {
        try {
            return route(event);
        } catch (RuntimeException e) {
            warn.accept("a file event was skipped (a bug; please report it with this line): " + event + ": " + e);
            return List.of();
        }
    }

    private List<Touch> route(FileEvent event) {
        counters.fileEvents.incrementAndGet();
        if (event.kind() == FileEvent.Kind.OVERFLOW) {
            // Each component is rescanned in its own debounce window, so a storm that overflowed the queue
            // is rescanned once it is over, not halfway through (which would build twice); the workspace
            // touch finds components whose folders came or went unseen.
            warn.accept("file events were lost (watch queue overflow): rescanning every component once the writes settle");
            overflowHold.overflowed();
            List<Touch> touches = new java.util.ArrayList<>(List.of(new Touch(EventRouter.WORKSPACE, "")));
            model.components().keySet().forEach(c -> touches.add(new Touch(c, c)));
            countInFlight(touches);
            return touches;
        }
        if (event.directory() && event.kind() != FileEvent.Kind.MODIFIED) {
            counters.watchedFolders.addAndGet(event.kind() == FileEvent.Kind.CREATED ? 1 : -1);
        }
        DabConfig current = model.config();
        String path = PathNames.relative(workspace, event.path());
        List<Touch> touches = EventRouter.route(event.kind(), path, event.directory(),
                model.components().keySet(), model.filter(), configSource::isConfigFile,
                folder -> PathNames.relative(workspace, workspace.resolve(folder)
                        .resolve(current.component(folder, DockerName.sanitize(folder)).dockerfile()).normalize()));
        if (touches.stream().anyMatch(t -> !t.component().equals(EventRouter.WORKSPACE))) {
            overflowHold.componentActivity();
        }
        countInFlight(touches);
        if (touches.isEmpty()) {
            TriggerFilter rules = model.filter();
            boolean inComponent = model.components().keySet().stream().anyMatch(c -> rules.scope(c).covers(path));
            (inComponent ? counters.ignored : counters.outsideComponents).incrementAndGet();
        }
        return touches;
    }

    /** Each touch of a component is work in flight until its debounce batch is judged (batch.events() counts them back). */
    private void countInFlight(List<Touch> touches) {
        touches.stream().filter(t -> !t.component().equals(EventRouter.WORKSPACE)).forEach(t -> inFlight.add(t.component(), 1));
    }
}
