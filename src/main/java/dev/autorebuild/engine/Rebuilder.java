package dev.autorebuild.engine;

import dev.autorebuild.core.Threads;
import dev.autorebuild.core.Component;
import dev.autorebuild.core.FileEvent;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.BuildSlot;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.debounce.Batch;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.engine.EventRouter.Touch;
import dev.autorebuild.fs.BuiltRecords;
import dev.autorebuild.fs.ComponentFinder;
import dev.autorebuild.fs.ComponentScanner;
import dev.autorebuild.fs.FileHasher;
import dev.autorebuild.fs.IgnoreLoader;
import dev.autorebuild.pipeline.ExecutorTicker;
import dev.autorebuild.pipeline.PerKeyDebounce;
import dev.autorebuild.pipeline.Ticker;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The watch → filter → debounce → hash → build loop for one workspace, under its configuration.
 *
 * <p>Threads: the watcher thread only hands each event to the pipeline thread; the pipeline thread
 * routes, filters and debounces (cheap, in order, no locks); the hashing pool compares content,
 * decides, and applies configuration reloads; the build pool runs at most {@code build.parallelism}
 * builds, never two of one component.
 */
public final class Rebuilder implements AutoCloseable {
    private final Path workspace;
    private final ConfigSource configSource;
    private final ImageBuilder builder;
    /** The listeners, those given at construction first; more may subscribe before {@link #start}. */
    private final java.util.List<RebuildListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final RebuildListener listener = event -> listeners.forEach(l -> l.on(event));
    private final ComponentScanner scanner = new ComponentScanner(new FileHasher());
    private final ScheduledExecutorService pipelineThread = Executors.newSingleThreadScheduledExecutor(Threads.named("dab-pipeline"));
    private final ExecutorService watcherThread = Executors.newSingleThreadExecutor(Threads.named("dab-watcher"));
    private final ExecutorService hashPool = Executors.newFixedThreadPool(2, Threads.named("dab-hash"));
    private final HeldWork hashWork = new HeldWork(hashPool); // every task for the pool goes through it (see start)
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile MultiEmitter<? super FileEvent> inbox;
    private volatile LiveSync liveSync;
    private final Builds builds;
    private final Priming priming;
    private final WorkspaceModel model;
    private final EngineRecovery recovery;
    private static final String ENGINE_DOWN = "the container engine does not answer";
    private GitHold gitHold;
    private WatchSource watcher;
    private Cancellable pipeline;
    private final PipelineCounters counters = new PipelineCounters();
    private final InFlight inFlight = new InFlight();
    private final OverflowHold overflowHold;
    private final EventRouting routing;
    private final RecordWriter recordWriter;

    public Rebuilder(Path workspace, ConfigSource configSource, ImageBuilder builder, RebuildListener firstListener) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.configSource = configSource;
        this.builder = builder;
        this.listeners.add(firstListener); // every part below gets the field, which reaches later subscribers too
        this.recovery = new EngineRecovery(builder::engineAnswers, listener, this::engineBack);
        BuiltRecords records = new BuiltRecords(this.workspace.resolve(".dab"));
        this.recordWriter = new RecordWriter(records::write, this::warn);
        this.builds = new Builds(this.workspace, builder, listener, this::filter, this::config, this::engineDown,
                recordWriter::offer);
        this.priming = new Priming(this.workspace, scanner, this::filter, builder, builds, records, recordWriter::offer, listener, this::warn);
        this.model = new WorkspaceModel(this.workspace, configSource, listener, scanner, builds, priming, counters, this::warn);
        this.overflowHold = new OverflowHold(builds, listener, pipelineThread, () -> config().debounce().quiet(), this::recheckAndBuild);
        this.routing = new EventRouting(this.workspace, configSource, model, overflowHold, counters, inFlight, this::warn);
    }

    /**
     * Adds a listener: one that needs this engine itself (to ask for its configuration or components)
     * cannot be given to the constructor. Subscribe before {@link #start} to see every event.
     */
    public void subscribe(RebuildListener more) {
        listeners.add(more);
    }

    /**
     * Reads the configuration, discovers components, starts watching (returns once every folder is
     * registered), then primes in the background.
     *
     * @throws InvalidConfigException when the configuration is invalid: there is no last good one yet
     */
    public void start() throws IOException {
        start(CompletableFuture.completedFuture(null));
    }

    /**
     * The same, with the hashing pool's work (each component's first look, counted in flight at once, and
     * the events that follow) begun when {@code firstLooks} completes: the daemon lets its start finish
     * first (its control socket answering), since the first looks hash the whole workspace on every core.
     * Nothing is missed meanwhile: the folders are watched, the work keeps its order ({@link HeldWork}), a
     * first look reads the files as they are when it runs, and a redeploy waits for what is in flight.
     */
    public void start(CompletionStage<Void> firstLooks) throws IOException {
        long started = System.nanoTime();
        // the engine's first answer, asked while the watcher is set up: asked after "watching" it took 30-40 ms
        // on the way to the daemon's first reply (the first request to the engine loads the HTTP client's classes)
        CompletableFuture<Optional<String>> engineCheck = CompletableFuture.supplyAsync(builder::engineProblem,
                task -> Threads.daemon("dab-engine-check").newThread(task).start());
        model.load();
        Ticker ticker = new ExecutorTicker(pipelineThread);
        pipeline = Multi.createFrom().<FileEvent>emitter(emitter -> inbox = emitter)
                .onItem().transformToIterable(routing::routeSafely)
                .plug(PerKeyDebounce.of(() -> model.config().debounce(), Touch::component, Touch::path, ticker,
                        e -> warn("a file event was skipped (a bug; please report it with this line): " + e)))
                .subscribe().with(
                        batch -> hashWork.execute(() -> {
                            try {
                                handleSafely(batch);
                            } finally {
                                if (!batch.key().equals(EventRouter.WORKSPACE)) {
                                    inFlight.done(batch.key(), batch.events()); // judged: a build is requested, or none needed
                                }
                            }
                        }),
                        failure -> listener.on(new RebuildEvent.PipelineStopped(String.valueOf(failure))));
        watcher = WatchSource.start(workspace, model.config().watch(), event -> pipelineThread.execute(() -> inbox.emit(event)), this::warn,
                watcherThread, pipelineThread);
        gitHold = GitHold.start(workspace, builds, listener, pipelineThread, () -> model.config().debounce().quiet(), this::recheckAndBuild);
        listener.on(new RebuildEvent.Watching(workspace, components(), Duration.ofNanos(System.nanoTime() - started)));
        // an engine that does not answer at start is said once, and builds wait for it: no build fails for it
        engineCheck.join().ifPresent(this::engineDown);
        priming.removeStaleRecords(model.components().keySet());
        model.sorted().forEach(rt -> inFlight.run(hashWork, rt.component.folder(), () -> priming.prime(rt, true)));
        hashWork.execute(this::countFolders);
        firstLooks.thenRun(hashWork::open);
    }

    /** What the pipeline has seen and dropped since start (for monitoring). */
    public PipelineCounters counters() {
        return counters;
    }

    /**
     * Builds a component now, even if its files match its image (a base image or a remote input changed,
     * or the user simply asks). Returns false when there is no such component (folder or sanitised name).
     */
    public boolean rebuild(String name) {
        Optional<ComponentRuntime> rt = model.sorted().stream()
                .filter(c -> c.component.answersTo(name))
                .findFirst();
        rt.ifPresent(builds::requestForced);
        return rt.isPresent();
    }

    /** After start, off the watcher's path: one inotify watch per folder, which is what the kernel limit counts. */
    private void countFolders() {
        try {
            counters.watchedFolders.addAndGet(dev.autorebuild.watch.WorkspaceWatcher.countFolders(workspace));
        } catch (IOException e) {
            // only a metric: a workspace that cannot be walked is reported by the watcher, not here
        }
    }

    /** Hashing pool: rehashes a component whose build waited, and builds it if it still has changes. */
    private void recheckAndBuild(ComponentRuntime rt) {
        inFlight.run(hashWork, rt.component.folder(), () -> {
            try {
                rt.scanAll(scanner, workspace, model.filter(), this::warn);
                if (model.isCurrent(rt)) {
                    builds.buildOrSync(rt, liveSync);
                }
            } catch (IOException | RuntimeException e) {
                warn("cannot check changes in " + rt.component.folder() + ": " + e);
            }
        });
    }

    // ---- an engine that stops answering: hold builds, retry with backoff ----

    private void engineDown(String reason) {
        builds.hold(ENGINE_DOWN);
        recovery.engineDown(reason);
    }

    /**
     * The engine answers again: every component with changes is primed again, which compares its
     * files with its image's digest label, so what failed or waited is built, and an image that was
     * current all along (the engine was down at start) is not rebuilt.
     */
    private void engineBack() {
        builds.release(ENGINE_DOWN);
        for (ComponentRuntime rt : model.sorted()) {
            if (rt.content.isDirty()) {
                inFlight.run(hashWork, rt.component.folder(), () -> priming.prime(rt, false));
            }
        }
    }

    /** The components now known, by folder name. */
    public List<Component> components() {
        return model.sorted().stream().map(rt -> rt.component).toList();
    }

    public Path workspace() {
        return workspace;
    }

    /** The configuration in force (the last good one). */
    public DabConfig config() {
        return model.config();
    }

    private TriggerFilter filter() {
        return model.filter();
    }

    /** Where the configuration in force came from ("dab.yml", "defaults"). */
    public String configOrigin() {
        return model.configOrigin();
    }

    /**
     * Re-reads the configuration, the ignore rules and the component list, and rehashes every
     * component: only what really changed is built. An invalid configuration is reported and the last
     * good one stays in force: the future then holds the problems, as they are printed.
     */
    public CompletableFuture<Optional<String>> reload(String reason) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return model.reloadWorkspace(true, reason, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, hashWork);
    }

    /** False while builds wait for an engine that does not answer: nothing will build until it does. */
    public boolean engineAnswering() {
        return !recovery.isWaiting();
    }

    /** Each build's end, for a redeploy that waits until its components are not {@link #busy}. */
    public BuildEnds buildEnds() {
        return builds.ends;
    }

    /**
     * Whether a component may still build: changes not yet judged, a first look or recheck running, a
     * build queued, running or held. A redeploy waits until its components are not busy.
     */
    public boolean busy(Component component) {
        ComponentRuntime rt = model.components().get(component.folder());
        return inFlight.any(component.folder())
                || (rt != null && (rt.slot.phase() != BuildSlot.Phase.IDLE || builds.isHeld(component.folder())));
    }

    // ---- hashing pool: content checks, decisions, reloads ----

    private void handleSafely(Batch<String, String> batch) {
        try {
            handle(batch);
        } catch (IOException | RuntimeException e) {
            warn("cannot check changes in " + batch.key() + ": " + e);
        }
    }

    private void handle(Batch<String, String> batch) throws IOException {
        counters.debounceBatches.incrementAndGet();
        if (batch.key().equals(EventRouter.WORKSPACE)) {
            boolean configChanged = batch.items().stream().anyMatch(configSource::isConfigFile);
            boolean onlyLostEvents = batch.items().equals(List.of(""));
            model.reloadWorkspace(configChanged, configChanged ? "the configuration changed"
                    : onlyLostEvents ? "file events were lost" : "the workspace's ignore rules changed", !onlyLostEvents);
            return;
        }
        String folder = batch.key();
        boolean isComponent = ComponentFinder.isComponent(workspace, folder, model.config());
        ComponentRuntime rt = model.components().get(folder);
        if (rt == null) {
            if (isComponent) {
                model.addComponent(folder);
            }
            return;
        }
        if (!isComponent) {
            model.removeComponent(rt, java.nio.file.Files.isDirectory(workspace.resolve(folder)) ? "its Dockerfile is gone" : "its folder is gone");
            return;
        }
        boolean rulesChanged = batch.items().stream().anyMatch(IgnoreLoader::isRuleFile);
        if (rulesChanged) {
            model.reloadRules();
        }
        TriggerFilter filter = model.filter();
        List<String> roots = filter.scope(folder).roots();
        boolean whole = rulesChanged || batch.items().stream().anyMatch(p -> p.equals(folder) || roots.contains(p));
        if (whole) {
            rt.scanAll(scanner, workspace, filter, this::warn);
        } else {
            rt.scan(scanner, workspace, List.copyOf(batch.items()), filter, this::warn);
        }
        if (!builds.buildOrSync(rt, liveSync)) {
            counters.unchangedByHash.addAndGet(batch.events());
            listener.on(new RebuildEvent.NoContentChange(rt.component, batch.items().size(), batch.events()));
        }
    }

    /** Live syncs ({@code develop.watch}) go through {@code sync}; set before {@link #start}. */
    public void useLiveSync(LiveSync sync) {
        this.liveSync = sync;
    }

    private void warn(String message) {
        listener.on(new RebuildEvent.Warning(message));
    }

    /** The components with a build running now, by folder name. */
    public List<String> buildsInProgress() {
        return model.sorted().stream()
                .filter(rt -> rt.slot.phase() == BuildSlot.Phase.BUILDING)
                .map(rt -> rt.component.folder())
                .toList();
    }

    /**
     * Stops watching and waits up to {@code grace} for builds in progress, then cancels them. May be
     * called again from another thread while the first call waits: {@code close(Duration.ZERO)} then
     * cancels the builds at once (an immediate stop during a graceful quit).
     */
    public void close(Duration grace) {
        if (closed.compareAndSet(false, true)) {
            stopWatching();
        }
        recovery.close();
        builds.close(grace);
        recordWriter.close(); // after the builds: the last one's record too
    }

    private void stopWatching() {
        try {
            if (watcher != null) {
                watcher.close();
            }
            if (gitHold != null) {
                gitHold.close();
            }
        } catch (Exception e) {
            warn("closing the watcher: " + e.getMessage());
        }
        if (pipeline != null) {
            pipeline.cancel();
        }
        pipelineThread.shutdownNow();
        watcherThread.shutdownNow();
        hashPool.shutdownNow();
        model.components().values().forEach(rt -> rt.slot.close());
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
