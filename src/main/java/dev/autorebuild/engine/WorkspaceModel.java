package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.config.ConfigDiff;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.fs.ComponentFinder;
import dev.autorebuild.fs.ComponentScanner;
import dev.autorebuild.fs.IgnoreLoader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What the workspace is now: its components, the configuration in force (the last good one) and the
 * ignore rules; and how that changes: a configuration reload, a folder that becomes or stops being a
 * component, a rescan.
 *
 * <p>One owner for the changes: every method that changes the model holds {@code changeLock}, so the
 * components, the configuration and the filter computed from them are always written together, in
 * order, and a filter is never published that lacks a component added meanwhile. Reads come from any
 * thread without the lock and see the last state written (volatile fields, a concurrent map).
 */
final class WorkspaceModel {
    private final Path workspace;
    private final ConfigSource configSource;
    private final RebuildListener listener;
    private final ComponentScanner scanner;
    private final Builds builds;
    private final Priming priming;
    private final PipelineCounters counters;
    private final Consumer<String> warn;
    private List<String> configWarnings = List.of();
    private final Map<String, ComponentRuntime> components = new ConcurrentHashMap<>();
    /**
     * Held by every change to the model (see the class comment). Reentrant, so a reload may add and
     * remove components; fair, so changes are applied in the order they came and a burst of rule
     * reloads never starves a component that is being added.
     */
    private final java.util.concurrent.locks.ReentrantLock changeLock = new java.util.concurrent.locks.ReentrantLock(true);
    private volatile DabConfig config = DabConfig.DEFAULTS;
    private volatile String configOrigin = "defaults";
    private volatile TriggerFilter filter = TriggerFilter.BUILTIN_ONLY;

    WorkspaceModel(Path workspace, ConfigSource configSource, RebuildListener listener, ComponentScanner scanner, Builds builds,
                   Priming priming, PipelineCounters counters, Consumer<String> warn) {
        this.workspace = workspace;
        this.configSource = configSource;
        this.listener = listener;
        this.scanner = scanner;
        this.builds = builds;
        this.priming = priming;
        this.counters = counters;
        this.warn = warn;
    }

    /**
     * At start: the configuration, the components and the rules.
     *
     * @throws InvalidConfigException when the configuration is invalid: there is no last good one yet
     */
    void load() throws IOException {
        changeLock.lock();
        try {
            ConfigSource.Result first = configSource.load();
            if (first instanceof ConfigSource.Rejected rejected) {
                throw new InvalidConfigException(rejected.problems());
            }
            useConfig((ConfigSource.Loaded) first);
            for (String folder : ComponentFinder.find(workspace, config)) {
                ComponentRuntime rt = newRuntime(folder);
                if (!collides(rt)) {
                    components.put(folder, rt);
                }
            }
            reloadRules();
        } finally {
            changeLock.unlock();
        }
    }

    DabConfig config() {
        return config;
    }

    /** Where the configuration in force came from ("dab.yml", "defaults"). */
    String configOrigin() {
        return configOrigin;
    }

    TriggerFilter filter() {
        return filter;
    }

    /** The components by folder name: a live, read-only view. */
    Map<String, ComponentRuntime> components() {
        return Collections.unmodifiableMap(components);
    }

    /** The components in folder order. */
    List<ComponentRuntime> sorted() {
        return List.copyOf(new TreeMap<>(components).values());
    }

    /** Whether {@code rt} is still the runtime of its folder (not removed, not replaced by a reload). */
    boolean isCurrent(ComponentRuntime rt) {
        return components.get(rt.component.folder()) == rt;
    }

    /**
     * @param rescanExisting false after lost events: the components known before are rescanned in their
     *                       own debounce windows (see {@code route}); only components that came or went are handled here
     */
    /** @return why the configuration was refused (the last good one stays), or empty when it was taken or not read */
    Optional<String> reloadWorkspace(boolean readConfig, String reason, boolean rescanExisting) throws IOException {
        changeLock.lock();
        try {
            Optional<String> refused = Optional.empty();
            if (readConfig) {
                ConfigSource.Result result = configSource.load();
                if (result instanceof ConfigSource.Rejected rejected) {
                    listener.on(new RebuildEvent.ConfigRejected(rejected.problems()));
                    refused = Optional.of(rejected.problems());
                } else {
                    applyConfig((ConfigSource.Loaded) result);
                }
            }
            List<String> present = ComponentFinder.find(workspace, config);
            for (ComponentRuntime rt : List.copyOf(components.values())) {
                if (!present.contains(rt.component.folder())) {
                    removeComponent(rt, "it is no longer a component (" + reason + ")");
                }
            }
            reloadRules();
            List<ComponentRuntime> existing = sorted();
            for (String folder : present) {
                if (!components.containsKey(folder)) {
                    addComponent(folder);
                }
            }
            if (rescanExisting) {
                rescan(reason, existing);
            } else {
                counters.rescans.incrementAndGet();
                listener.on(new RebuildEvent.Rescan(reason, existing.stream().map(rt -> rt.component.folder()).toList()));
            }
            return refused;
        } finally {
            changeLock.unlock();
        }
    }

    private void applyConfig(ConfigSource.Loaded loaded) throws IOException {
        DabConfig before = config;
        useConfig(loaded);
        String changes = ConfigDiff.describe(before, config);
        if (changes.isEmpty()) {
            return;
        }
        reloadRules(); // the whitelist and blacklist are in force before the reload is announced
        listener.on(new RebuildEvent.ConfigReloaded(loaded.origin(), changes));
        // A component built another way (image, Dockerfile, context, args…) starts over: primed again,
        // it is built unless its image already carries the new digest.
        for (ComponentRuntime rt : List.copyOf(components.values())) {
            ComponentRuntime fresh = newRuntime(rt.component.folder());
            if (!fresh.recipe.equals(rt.recipe) || !fresh.component.equals(rt.component)) {
                rt.slot.close();
                components.put(rt.component.folder(), fresh);
                reloadRules();
                priming.prime(fresh, false);
            }
        }
    }

    private void useConfig(ConfigSource.Loaded loaded) {
        config = loaded.config();
        configOrigin = loaded.origin();
        loaded.warnings().stream().filter(w -> !configWarnings.contains(w)).forEach(warn); // each once, not again at every reload
        configWarnings = List.copyOf(loaded.warnings());
        builds.setParallelism(config.build().parallelism());
    }

    private void rescan(String reason, List<ComponentRuntime> which) throws IOException {
        if (which.isEmpty()) {
            return;
        }
        counters.rescans.incrementAndGet();
        listener.on(new RebuildEvent.Rescan(reason, which.stream().map(rt -> rt.component.folder()).toList()));
        for (ComponentRuntime rt : which) {
            if (components.get(rt.component.folder()) != rt) {
                continue; // replaced meanwhile, and primed afresh
            }
            rt.scanAll(scanner, workspace, filter, warn);
            if (rt.content.isDirty()) {
                builds.request(rt);
            }
        }
    }

    /** A folder became a component: hashed, then built unless its image was built from exactly these files, this way. */
    void addComponent(String folder) throws IOException {
        ComponentRuntime rt;
        changeLock.lock();
        try {
            rt = newRuntime(folder);
            if (components.containsKey(folder) || collides(rt)) {
                return;
            }
            components.put(folder, rt);
            reloadRules();
            listener.on(new RebuildEvent.ComponentAdded(rt.component));
        } finally {
            changeLock.unlock();
        }
        priming.prime(rt, false); // outside the lock: it asks the engine, and the model is consistent already
    }

    /** Removes {@code rt} if it is still its folder's runtime (a reload may have replaced it). */
    void removeComponent(ComponentRuntime rt, String reason) throws IOException {
        changeLock.lock();
        try {
            rt.slot.close();
            if (components.remove(rt.component.folder(), rt)) {
                reloadRules();
                listener.on(new RebuildEvent.ComponentRemoved(rt.component, reason));
            }
        } finally {
            changeLock.unlock();
        }
    }

    /** The ignore rules, read again from the files for the components known now. */
    void reloadRules() throws IOException {
        changeLock.lock();
        try {
            filter = IgnoreLoader.load(workspace, components.keySet(), config);
        } finally {
            changeLock.unlock();
        }
    }

    private ComponentRuntime newRuntime(String folder) {
        DabConfig current = config;
        DabConfig.ComponentSettings settings = current.component(folder, DockerName.sanitize(folder));
        Component component = settings.image()
                .map(image -> new Component(folder, image.contains(":") && image.lastIndexOf(':') > image.lastIndexOf('/') ? image : image + ":latest"))
                .orElse(Component.of(current.projectName(workspace.getFileName().toString()), folder));
        Map<String, String> args = new TreeMap<>(current.build().args());
        args.putAll(settings.args());
        return new ComponentRuntime(component, settings, args);
    }

    /**
     * Two folders whose names sanitise alike ("My App", "my-app") would build the same image: the one
     * found second is left out, with a warning that says how to fix it.
     */
    private boolean collides(ComponentRuntime candidate) {
        Optional<ComponentRuntime> other = components.values().stream()
                .filter(rt -> !rt.component.folder().equals(candidate.component.folder()))
                .filter(rt -> rt.component.image().equals(candidate.component.image()))
                .findFirst();
        other.ifPresent(o -> warn.accept("components '" + o.component.folder() + "' and '" + candidate.component.folder() + "' would both build "
                + candidate.component.image() + "; '" + candidate.component.folder() + "' is left out: rename one folder, or set components."
                + candidate.component.folder() + ".image in dab.yml"));
        return other.isPresent();
    }
}
