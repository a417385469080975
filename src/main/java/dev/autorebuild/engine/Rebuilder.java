package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.FileEvent;
import dev.autorebuild.core.Labels;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.BuildSlot;
import dev.autorebuild.core.content.BuildSnapshot;
import dev.autorebuild.core.debounce.Batch;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.fs.ComponentScanner;
import dev.autorebuild.fs.FileHasher;
import dev.autorebuild.fs.IgnoreLoader;
import dev.autorebuild.fs.PathNames;
import dev.autorebuild.pipeline.ExecutorTicker;
import dev.autorebuild.pipeline.PerKeyDebounce;
import dev.autorebuild.pipeline.Ticker;
import dev.autorebuild.watch.WorkspaceWatcher;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.Cancellable;
import io.smallrye.mutiny.subscription.MultiEmitter;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The watch → filter → debounce → hash → build loop for one workspace.
 *
 * <p>Threads: the watcher thread only hands each event to the pipeline thread; the pipeline thread
 * routes, filters and debounces (cheap, in order, no locks); the hashing pool compares content and
 * decides; the build pool runs at most {@code buildParallelism} builds, never two of one component.
 */
public final class Rebuilder implements AutoCloseable {
    /** Debounce key for files directly in the workspace folder (no component folder can be named so). */
    static final String WORKSPACE_ROOT = "/";

    private final Path workspace;
    private final EngineSettings settings;
    private final ImageBuilder builder;
    private final RebuildListener listener;
    private final ComponentScanner scanner = new ComponentScanner(new FileHasher());
    private final Map<String, ComponentRuntime> components = new java.util.concurrent.ConcurrentHashMap<>();
    private final ScheduledExecutorService pipelineThread = Executors.newSingleThreadScheduledExecutor(Threads.named("dab-pipeline"));
    private final ExecutorService watcherThread = Executors.newSingleThreadExecutor(Threads.named("dab-watcher"));
    private final ExecutorService hashPool = Executors.newFixedThreadPool(2, Threads.named("dab-hash"));
    private final ExecutorService buildPool;
    private volatile TriggerFilter filter = TriggerFilter.BUILTIN_ONLY;
    private volatile MultiEmitter<? super FileEvent> inbox;
    private WorkspaceWatcher watcher;
    private Cancellable pipeline;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    public Rebuilder(Path workspace, EngineSettings settings, ImageBuilder builder, RebuildListener listener) {
        this.workspace = workspace.toAbsolutePath().normalize();
        this.settings = settings;
        this.builder = builder;
        this.listener = listener;
        this.buildPool = Executors.newFixedThreadPool(settings.buildParallelism(), Threads.named("dab-build"));
    }

    /** Discovers components, starts watching (returns once every folder is registered), then primes in the background. */
    public void start() throws IOException {
        long started = System.nanoTime();
        for (String folder : componentFolders()) {
            components.put(folder, newRuntime(folder));
        }
        reloadRules();
        Ticker ticker = new ExecutorTicker(pipelineThread);
        pipeline = Multi.createFrom().<FileEvent>emitter(emitter -> inbox = emitter)
                .onItem().transformToIterable(this::route)
                .plug(PerKeyDebounce.of(settings.debounce(), Touch::folder, Touch::path, ticker))
                .subscribe().with(
                        batch -> hashPool.execute(() -> handleSafely(batch)),
                        failure -> listener.on(new RebuildEvent.Warning("the change pipeline stopped: " + failure)));
        watcher = WorkspaceWatcher.start(workspace,
                event -> pipelineThread.execute(() -> inbox.emit(event)),
                e -> listener.on(new RebuildEvent.Warning("watcher: " + e.getMessage())),
                watcherThread);
        listener.on(new RebuildEvent.Watching(workspace, components(),
                Duration.ofNanos(System.nanoTime() - started)));
        components.values().forEach(rt -> hashPool.execute(() -> prime(rt)));
    }

    /** The components now known, by folder name. */
    public List<Component> components() {
        return new TreeMap<>(components).values().stream().map(rt -> rt.component).toList();
    }

    public Path workspace() {
        return workspace;
    }

    // ---- pipeline thread: routing and filtering, no I/O beyond an occasional folder listing ----

    /** A touched path: which folder of the workspace, and where inside it ("" for the folder itself). */
    record Touch(String folder, String path) {}

    private List<Touch> route(FileEvent event) {
        if (event.kind() == FileEvent.Kind.OVERFLOW) {
            return overflowTouches();
        }
        String rel = PathNames.relative(workspace, event.path());
        if (rel.isEmpty() || rel.startsWith("..")) {
            return List.of();
        }
        int slash = rel.indexOf('/');
        if (slash < 0) {
            return routeTopLevel(rel, event);
        }
        String folder = rel.substring(0, slash);
        String inside = rel.substring(slash + 1);
        if (!components.containsKey(folder)) {
            // Not a component (yet): only its Dockerfile appearing can make it one.
            return inside.equals("Dockerfile") ? List.of(new Touch(folder, inside)) : List.of();
        }
        if (event.kind() == FileEvent.Kind.MODIFIED && event.directory()) {
            return List.of(); // a folder's own attributes; its entries report themselves
        }
        if (IgnoreLoader.isRuleFile(inside) || filter.triggers(folder, inside, event.directory())) {
            return List.of(new Touch(folder, inside));
        }
        return List.of();
    }

    private List<Touch> routeTopLevel(String name, FileEvent event) {
        if (event.directory() || components.containsKey(name)) {
            if (filter.prunes(name, "") || name.equals(".dab") || name.equals(".git")) {
                return List.of();
            }
            return event.kind() == FileEvent.Kind.MODIFIED ? List.of() : List.of(new Touch(name, ""));
        }
        return name.equals(IgnoreLoader.DABIGNORE) ? List.of(new Touch(WORKSPACE_ROOT, name)) : List.of();
    }

    private List<Touch> overflowTouches() {
        listener.on(new RebuildEvent.Warning("file events were lost (watch queue overflow): rescanning every component"));
        List<Touch> touches = new ArrayList<>();
        try (Stream<Path> entries = Files.list(workspace)) {
            entries.filter(Files::isDirectory)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.equals(".dab") && !name.equals(".git"))
                    .forEach(name -> touches.add(new Touch(name, "")));
        } catch (IOException e) {
            listener.on(new RebuildEvent.Warning("cannot list " + workspace + ": " + e.getMessage()));
        }
        components.keySet().forEach(name -> touches.add(new Touch(name, "")));
        return touches;
    }

    // ---- hashing pool: content checks and decisions ----

    private void handleSafely(Batch<String, String> batch) {
        try {
            handle(batch);
        } catch (IOException | RuntimeException e) {
            listener.on(new RebuildEvent.Warning("cannot check changes in " + batch.key() + ": " + e));
        }
    }

    private void handle(Batch<String, String> batch) throws IOException {
        if (batch.key().equals(WORKSPACE_ROOT)) {
            reloadRules();
            rescan("the workspace .dabignore changed", List.copyOf(components.values()));
            return;
        }
        String folder = batch.key();
        Path dir = workspace.resolve(folder);
        boolean isComponent = Files.isRegularFile(dir.resolve("Dockerfile"));
        ComponentRuntime rt = components.get(folder);
        if (rt == null) {
            if (isComponent) {
                addComponent(folder);
            }
            return;
        }
        if (!isComponent) {
            removeComponent(rt, Files.isDirectory(dir) ? "its Dockerfile is gone" : "its folder is gone");
            return;
        }
        boolean rulesChanged = batch.items().stream().anyMatch(IgnoreLoader::isRuleFile);
        if (rulesChanged) {
            reloadRules();
        }
        Set<String> paths = rulesChanged || batch.items().contains("") ? Set.of("") : batch.items();
        synchronized (rt.scanLock) {
            for (String path : paths) {
                scanner.scan(rt.dir, folder, path, filter, rt.content, this::warn);
            }
        }
        if (rt.content.isDirty()) {
            requestBuild(rt);
        } else {
            listener.on(new RebuildEvent.NoContentChange(rt.component, batch.items().size(), batch.events()));
        }
    }

    private void rescan(String reason, List<ComponentRuntime> which) throws IOException {
        listener.on(new RebuildEvent.Rescan(reason, which.stream().map(rt -> rt.component.folder()).toList()));
        for (ComponentRuntime rt : which) {
            synchronized (rt.scanLock) {
                scanner.scan(rt.dir, rt.component.folder(), "", filter, rt.content, this::warn);
            }
            if (rt.content.isDirty()) {
                requestBuild(rt);
            }
        }
    }

    /** Hashes a component's files, then builds it unless its image was built from exactly these files. */
    private void prime(ComponentRuntime rt) {
        try {
            synchronized (rt.scanLock) {
                scanner.scan(rt.dir, rt.component.folder(), "", filter, rt.content, this::warn);
            }
            BuildSnapshot now = rt.content.snapshot();
            Optional<Map<String, String>> labels = builder.labelsOf(rt.component.image());
            boolean current = labels.isPresent()
                    && now.digest().equals(labels.get().get(Labels.DIGEST))
                    && workspace.toString().equals(labels.get().get(Labels.WORKSPACE));
            if (current) {
                rt.content.markBuilt(now);
                listener.on(new RebuildEvent.UpToDate(rt.component, now.digest(), now.files().size()));
            } else {
                requestBuild(rt);
            }
        } catch (IOException | RuntimeException e) {
            listener.on(new RebuildEvent.Warning("cannot hash " + rt.dir + ": " + e));
        }
    }

    private void addComponent(String folder) throws IOException {
        ComponentRuntime rt = newRuntime(folder);
        if (components.putIfAbsent(folder, rt) != null) {
            return;
        }
        reloadRules();
        listener.on(new RebuildEvent.ComponentAdded(rt.component));
        prime(rt);
    }

    private void removeComponent(ComponentRuntime rt, String reason) throws IOException {
        rt.slot.close();
        components.remove(rt.component.folder(), rt);
        reloadRules();
        listener.on(new RebuildEvent.ComponentRemoved(rt.component, reason));
    }

    private void reloadRules() throws IOException {
        filter = IgnoreLoader.load(workspace, components.keySet());
    }

    // ---- build pool ----

    private void requestBuild(ComponentRuntime rt) {
        if (rt.slot.request()) {
            listener.on(new RebuildEvent.BuildQueued(rt.component));
            buildPool.execute(() -> runBuild(rt));
        }
    }

    private void runBuild(ComponentRuntime rt) {
        if (!rt.slot.start()) {
            return;
        }
        try {
            BuildSnapshot snapshot = rt.content.snapshot();
            if (snapshot.changedFiles() > 0) {
                build(rt, snapshot);
            } else { // changed back before the build started
                listener.on(new RebuildEvent.NoContentChange(rt.component, 0, 0));
            }
        } catch (RuntimeException e) {
            listener.on(new RebuildEvent.BuildFailed(rt.component, Optional.empty(), e.toString(), Duration.ZERO));
        } finally {
            if (rt.slot.finish()) {
                listener.on(new RebuildEvent.BuildQueued(rt.component));
                buildPool.execute(() -> runBuild(rt));
            }
        }
    }

    private void build(ComponentRuntime rt, BuildSnapshot snapshot) {
        Component component = rt.component;
        listener.on(new RebuildEvent.BuildStarted(component, snapshot.changedFiles()));
        Optional<String> previous = builder.imageId(component.image());
        long started = System.nanoTime();
        ImageBuilder.Request request = new ImageBuilder.Request(rt.dir, "Dockerfile", component.image(),
                Map.of(Labels.WORKSPACE, workspace.toString(), Labels.COMPONENT, component.folder(), Labels.DIGEST, snapshot.digest()),
                filter.dockerignore(component.folder()));
        ImageBuilder.Outcome outcome = builder.build(request, line -> listener.on(new RebuildEvent.BuildOutput(component, line)));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        if (outcome instanceof ImageBuilder.Built built) {
            rt.content.markBuilt(snapshot);
            listener.on(new RebuildEvent.BuildSucceeded(component, built.imageId(), snapshot.digest(), took));
            previous.filter(id -> !id.equals(built.imageId()))
                    .ifPresent(id -> builder.removeIfUnused(id, workspace.toString()));
        } else if (outcome instanceof ImageBuilder.Failed failed) {
            listener.on(new RebuildEvent.BuildFailed(component, failed.step(), failed.message(), took));
        }
    }

    // ---- helpers ----

    private ComponentRuntime newRuntime(String folder) {
        return new ComponentRuntime(Component.of(workspace.getFileName().toString(), folder), workspace.resolve(folder));
    }

    private List<String> componentFolders() throws IOException {
        try (Stream<Path> entries = Files.list(workspace)) {
            return entries.filter(p -> Files.isRegularFile(p.resolve("Dockerfile")))
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.startsWith(".dab"))
                    .sorted()
                    .toList();
        }
    }

    private void warn(String message) {
        listener.on(new RebuildEvent.Warning(message));
    }

    /**
     * Re-reads the ignore rules and rehashes every component, discovering new ones: only what really
     * changed is built. Completes once the rescan is done (the builds it requests may still run).
     */
    public CompletableFuture<Void> reload(String reason) {
        return CompletableFuture.runAsync(() -> {
            try {
                reloadRules();
                for (String folder : componentFolders()) {
                    if (!components.containsKey(folder)) {
                        addComponent(folder);
                    }
                }
                rescan(reason, List.copyOf(new TreeMap<>(components).values()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, hashPool);
    }

    /** The components with a build running now, by folder name. */
    public List<String> buildsInProgress() {
        return new TreeMap<>(components).values().stream()
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
        buildPool.shutdown();
        try {
            if (!buildPool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                buildPool.shutdownNow();
            }
        } catch (InterruptedException e) {
            buildPool.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private void stopWatching() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            warn("closing the watcher: " + e.getMessage());
        }
        if (pipeline != null) {
            pipeline.cancel();
        }
        pipelineThread.shutdownNow();
        watcherThread.shutdownNow();
        hashPool.shutdownNow();
        components.values().forEach(rt -> rt.slot.close());
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }
}
