package dev.autorebuild.engine;

import dev.autorebuild.core.FileEvent;
import dev.autorebuild.core.ignore.ComponentScope;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.fs.IgnoreLoader;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Turns one file event (a workspace-relative path) into the components it may concern. Pure: the
 * caller passes the current components, rules and configuration file test. Runs on the pipeline
 * thread for every event, so it does no I/O.
 */
final class EventRouter {
    /** Debounce key for workspace-level changes: the configuration and workspace-wide ignore files. */
    static final String WORKSPACE = "/";

    /** A touched path: the component it concerns (or {@link #WORKSPACE}), and the workspace-relative path. */
    record Touch(String component, String path) {}

    private EventRouter() {}

    /**
     * @param dockerfileOf the workspace-relative Dockerfile a folder would need to be a component
     */
    static List<Touch> route(FileEvent.Kind kind, String path, boolean directory, Set<String> components,
                             TriggerFilter filter, Predicate<String> isConfigFile, Function<String, String> dockerfileOf) {
        if (path.isEmpty() || path.startsWith("../") || path.equals("..")) {
            return List.of();
        }
        boolean config = isConfigFile.test(path);
        if (config && !path.contains("/")) {
            return List.of(new Touch(WORKSPACE, path));
        }
        String top = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
        if (top.equals(".dab") || top.equals(".git")) {
            return List.of(); // our own state, and git's (its churn is never a build input)
        }
        List<Touch> touches = new ArrayList<>();
        if (config) {
            // a configuration file inside a folder (an included Compose file, -c web/dab.yml) reloads the
            // configuration, and is also a file of that folder's build context like any other
            touches.add(new Touch(WORKSPACE, path));
        }
        if (IgnoreLoader.isRuleFile(path)) {
            List<String> covering = filter.componentsCovering(path);
            if (covering.isEmpty() || !path.contains("/") || path.endsWith(IgnoreLoader.GITIGNORE)) {
                return List.of(new Touch(WORKSPACE, path)); // workspace-wide rules: every component is rechecked
            }
            covering.forEach(c -> touches.add(new Touch(c, path)));
            return touches;
        }
        boolean known = components.contains(top);
        if (path.equals(top) && kind != FileEvent.Kind.MODIFIED && (directory || known)) {
            touches.add(new Touch(top, top)); // a folder appeared or went: it may become, or stop being, a component
        } else if (!known && path.equals(dockerfileOf.apply(top))) {
            touches.add(new Touch(top, top)); // its Dockerfile appeared: a new component
        }
        if (kind == FileEvent.Kind.MODIFIED && directory) {
            return touches; // a folder's own attributes; its entries report themselves
        }
        for (String component : components) {
            ComponentScope scope = filter.scope(component);
            if (scope.covers(path) && (scope.isBuildDefinition(path) || filter.triggers(component, path, directory))
                    && !touches.contains(new Touch(component, component))) {
                touches.add(new Touch(component, path));
            }
        }
        return touches;
    }
}
