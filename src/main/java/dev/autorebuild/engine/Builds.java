package dev.autorebuild.engine;

import dev.autorebuild.core.Threads;
import dev.autorebuild.core.Component;
import dev.autorebuild.core.Labels;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.content.BuildSnapshot;
import dev.autorebuild.core.content.BuiltRecord;
import dev.autorebuild.core.ignore.ComponentScope;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.fs.PathNames;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The build pool: at most {@code build.parallelism} builds at once, never two of one component (its
 * {@code BuildSlot} queues exactly one follow-up), each reported as events. A successful build
 * becomes the component's built state; the image it replaced is removed if nothing uses it.
 */
final class Builds {
    private final Path workspace;
    private final ImageBuilder builder;
    private final RebuildListener listener;
    private final Supplier<TriggerFilter> filter;
    private final Supplier<DabConfig> config;
    /** Called when a build failed and the engine does not answer a ping. */
    private final java.util.function.Consumer<String> engineDown;
    /** Called after each successful build with what the new image holds. */
    private final java.util.function.Consumer<BuiltRecord> built;
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), Threads.named("dab-build"));

    Builds(Path workspace, ImageBuilder builder, RebuildListener listener, Supplier<TriggerFilter> filter, Supplier<DabConfig> config,
           java.util.function.Consumer<String> engineDown, java.util.function.Consumer<BuiltRecord> built) {
        this.engineDown = engineDown;
        this.built = built;
        this.workspace = workspace;
        this.builder = builder;
        this.listener = listener;
        this.filter = filter;
        this.config = config;
    }

    /** A configuration reload may change how many builds run at once; running builds finish as they are. */
    void setParallelism(int parallelism) {
        if (parallelism >= pool.getCorePoolSize()) {
            pool.setMaximumPoolSize(parallelism);
            pool.setCorePoolSize(parallelism);
        } else {
            pool.setCorePoolSize(parallelism);
            pool.setMaximumPoolSize(parallelism);
        }
    }

    /** Why builds are held now (git is writing the work tree, the engine is down); requested builds wait, each component once. */
    /** Signalled at the end of every build, for a redeploy that waits for one. */
    final BuildEnds ends = new BuildEnds();
    private final Set<String> holdReasons = new HashSet<>();
    private final Map<String, ComponentRuntime> held = new java.util.TreeMap<>();

    /** Whether the component has a build waiting for a hold to end. */
    synchronized boolean isHeld(String folder) {
        return held.containsKey(folder);
    }

    /** Holds every build requested from now on until the reason is released. */
    synchronized void hold(String reason) {
        holdReasons.add(reason);
    }

    /**
     * Ends one hold; once none is left, returns the components whose builds waited, for the caller
     * to request again (after rehashing them if it must).
     */
    synchronized java.util.List<ComponentRuntime> release(String reason) {
        holdReasons.remove(reason);
        if (!holdReasons.isEmpty()) {
            return java.util.List.of();
        }
        java.util.List<ComponentRuntime> waiting = java.util.List.copyOf(held.values());
        held.clear();
        return waiting;
    }

    /**
     * While builds are held (git writing, the engine away), a component's changes wait with them, live
     * syncs included: true when it now waits, to be handed back by {@link #release}.
     */
    synchronized boolean waitIfHeld(ComponentRuntime rt) {
        if (holdReasons.isEmpty()) {
            return false;
        }
        if (held.put(rt.component.folder(), rt) == null) {
            listener.on(new RebuildEvent.BuildWaiting(rt.component, String.join(", ", holdReasons)));
        }
        return true;
    }

    /**
     * After a component was hashed: builds it if its files differ from its image, unless every change falls
     * under live sync rules, which copy them into the running container instead; both wait out the holds.
     * False when there was nothing to do.
     *
     * @param sync live sync, when the daemon has one
     */
    boolean buildOrSync(ComponentRuntime rt, LiveSync sync) {
        boolean dirty = rt.content.isDirty();
        if (sync != null && sync.applies(rt) && (dirty || !rt.content.unsynced().isEmpty())) {
            if (waitIfHeld(rt)) {
                return true; // handed back by release when the hold ends, and decided again
            }
            LiveSync.Result result = sync.settle(rt);
            if (result != LiveSync.Result.BUILD || !dirty) {
                return result == LiveSync.Result.SYNCED;
            }
        }
        if (dirty) {
            request(rt);
        }
        return dirty;
    }

    /** A component has changes: build it now, or once its build in progress ends (one follow-up at most). */
    void request(ComponentRuntime rt) {
        if (waitIfHeld(rt)) {
            return;
        }
        if (rt.slot.request()) {
            listener.on(new RebuildEvent.BuildQueued(rt.component));
            pool.execute(() -> runBuild(rt));
        } else if (rt.buildIsStale() && rt.slot.cancelRunning()) {
            rt.cancelBuild(); // its follow-up builds the newer files at once
        }
    }

    /** Builds even if nothing changed (asked for by the user); still one build at a time per component. */
    void requestForced(ComponentRuntime rt) {
        rt.forced.set(true);
        request(rt);
    }

    private void runBuild(ComponentRuntime rt) {
        if (!rt.slot.start()) {
            return;
        }
        try {
            BuildSnapshot snapshot = rt.content.snapshot();
            if (snapshot.changedFiles() > 0 | rt.forced.getAndSet(false)) {
                build(rt, snapshot);
            } else { // changed back before the build started
                listener.on(new RebuildEvent.NoContentChange(rt.component, 0, 0));
            }
        } catch (EngineException e) {
            failedOrHeld(rt, new ImageBuilder.Failed(Optional.empty(), e.getMessage()), Duration.ZERO);
        } catch (RuntimeException e) {
            listener.on(new RebuildEvent.BuildFailed(rt.component, Optional.empty(), e.toString(), Duration.ZERO));
        } finally {
            if (rt.slot.finish()) {
                listener.on(new RebuildEvent.BuildQueued(rt.component));
                pool.execute(() -> runBuild(rt));
            }
            ends.ended();
        }
    }

    private void build(ComponentRuntime rt, BuildSnapshot snapshot) {
        Component component = rt.component;
        Optional<ImageBuilder.Tagged> before = builder.tagged(component.image()); // one question: whose it is, and its id
        Optional<String> heldElsewhere = heldByAnotherWorkspace(component, before);
        if (heldElsewhere.isPresent()) {
            listener.on(new RebuildEvent.BuildFailed(component, Optional.empty(), heldElsewhere.get(), Duration.ZERO));
            return;
        }
        ComponentScope scope = filter.get().scope(component.folder());
        Optional<String> refused = scope.dockerignore().refusal();
        if (refused.isPresent()) { // Docker would refuse the build: so do we, rather than send a context it never would
            listener.on(new RebuildEvent.BuildFailed(component, Optional.empty(),
                    scope.dockerignoreSource().orElse(component.folder() + "/.dockerignore") + ":" + refused.get(), Duration.ZERO));
            return;
        }
        ImageBuilder.Resolution resolution = builder.resolve(rt.settings.builder().orElse(config.get().build().builder()));
        resolution.fallback().ifPresent(this::reportFallback);
        listener.on(new RebuildEvent.BuildStarted(component, snapshot.changedFiles(), resolution.builder()));
        Optional<String> previous = before.map(ImageBuilder.Tagged::id);
        long started = System.nanoTime();
        Set<String> alwaysSent = new HashSet<>();
        alwaysSent.add(scope.dockerfileInContext());
        scope.dockerignoreSource().flatMap(scope::inContext).ifPresent(alwaysSent::add);
        ImageBuilder.Request request = new ImageBuilder.Request(PathNames.resolve(workspace, scope.context()),
                scope.dockerfileInContext(), component.image(),
                Map.of(Labels.WORKSPACE, workspace.toString(), Labels.COMPONENT, component.folder(), Labels.DIGEST, snapshot.digest()),
                scope.dockerignore(), alwaysSent, scope.context().isEmpty() ? Set.of(".dab") : Set.of(),
                rt.buildArgs, rt.settings.target(), config.get().build().noCache(), resolution.builder(), secrets(rt));
        ComponentRuntime.Run<ImageBuilder.Outcome> run = rt.whileBuilding(snapshot.digest(),
                () -> builder.build(request, line -> listener.on(new RebuildEvent.BuildOutput(component, line))));
        ImageBuilder.Outcome outcome = run.outcome();
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (outcome instanceof ImageBuilder.Failed && run.cancelledForNewerChanges()) {
            listener.on(new RebuildEvent.BuildCancelled(component, "newer changes arrived: building them now", took));
        } else if (outcome instanceof ImageBuilder.Built built) {
            rt.content.markBuilt(snapshot);
            listener.on(new RebuildEvent.BuildSucceeded(component, built.imageId(), snapshot.digest(), took));
            this.built.accept(BuiltRecord.of(component.folder(), snapshot));
            // off the build's path: a redeploy waits for this build to settle, and the old image is usually
            // still in use by the running container anyway
            previous.filter(id -> !id.equals(built.imageId())).ifPresent(this::removeLaterIfUnused);
        } else if (outcome instanceof ImageBuilder.Failed failed) {
            failedOrHeld(rt, failed, took);
        }
        if (!(outcome instanceof ImageBuilder.Failed failed && failed.connectionLost())) {
            rt.buildsCut.set(0);
        }
    }

    /** The workspace's secrets with the component's own over them. */
    private Map<String, DabConfig.Secret> secrets(ComponentRuntime rt) {
        Map<String, DabConfig.Secret> secrets = new HashMap<>(config.get().build().secrets());
        secrets.putAll(rt.settings.secrets());
        return secrets;
    }

    private void removeLaterIfUnused(String imageId) {
        try {
            pool.execute(() -> builder.removeIfUnused(imageId, workspace.toString()));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // the daemon is ending: the old image stays, which harms nothing
        }
    }

    /** A build whose connection broke is built again this many times in a row; then its failure is said. */
    private static final int REBUILDS_AFTER_A_CUT = 2;

    /**
     * A build that failed because the engine went away is not the build's fault: it waits for the
     * engine instead. One whose connection broke while the engine answers again (a quick restart) is
     * built again, a bounded number of times.
     */
    private void failedOrHeld(ComponentRuntime rt, ImageBuilder.Failed failed, Duration took) {
        Optional<String> engineProblem = Thread.currentThread().isInterrupted() ? Optional.empty() : builder.engineProblem();
        if (engineProblem.isPresent()) {
            // nothing the user must fix in the component
            engineDown.accept(engineProblem.get());
            request(rt); // held until the engine answers, then rechecked and built
        } else if (failed.connectionLost() && !Thread.currentThread().isInterrupted() && rt.buildsCut.incrementAndGet() <= REBUILDS_AFTER_A_CUT) {
            listener.on(new RebuildEvent.Warning("[" + rt.component.folder() + "] the connection to the engine broke during the build ("
                    + failed.message() + "); the engine answers, so it is built again"));
            request(rt);
        } else {
            listener.on(new RebuildEvent.BuildFailed(rt.component, failed.step(), failed.message(), took));
        }
    }

    /**
     * Two checkouts with the same folder name build the same tags: building here would silently replace the
     * other workspace's image (and each daemon would then rebuild on finding the other's). Never: say whose
     * it is and how to build under another name.
     */
    private Optional<String> heldByAnotherWorkspace(Component component, Optional<ImageBuilder.Tagged> image) {
        String owner = image.map(tagged -> tagged.labels().get(Labels.WORKSPACE)).orElse(null);
        if (owner == null || owner.equals(workspace.toString())) {
            return Optional.empty();
        }
        Path parent = workspace.getParent() == null ? null : workspace.getParent().getFileName();
        String suggestion = (parent == null ? "" : parent + "-") + workspace.getFileName() + "-" + component.folder();
        return Optional.of(component.image() + " is the image of another workspace (" + owner + "), and building here would replace it;"
                + " give this workspace a name of its own, name: " + dev.autorebuild.core.DockerName.sanitize(parent == null ? "my-" + workspace.getFileName() : parent + "-" + workspace.getFileName())
                + " in dab.yml (its images and containers are then named after it), or this component alone: components." + component.folder()
                + ".image (e.g. " + dev.autorebuild.core.DockerName.sanitize(suggestion) + ":latest)");
    }

    /** The reason auto fell back to classic last said: each new reason is said once, not at every build. */
    private String fallbackSaid;

    private synchronized void reportFallback(String reason) {
        if (!reason.equals(fallbackSaid)) {
            fallbackSaid = reason;
            listener.on(new RebuildEvent.BuilderFallback(reason));
        }
    }

    /** Waits up to {@code grace} for builds in progress, then interrupts them (which cancels them in the engine). */
    void close(Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            pool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
