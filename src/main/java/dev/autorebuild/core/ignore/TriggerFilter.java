package dev.autorebuild.core.ignore;


import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides whether a change to a file may trigger a component's build. Paths are workspace-relative.
 * A file is passed over when the built-in noise list or a {@code .dabignore} (gitignore semantics;
 * {@code .gitignore} too when configured) ignores it, when the component's {@code .dockerignore}
 * (Docker semantics) leaves it out of the build context — such a file cannot change the image — or
 * when dab.yml's whitelist/blacklist excludes it. The Dockerfile and the context's ignore file always
 * count, as the engine always receives them.
 */
public final class TriggerFilter {
    public static final TriggerFilter BUILTIN_ONLY = new TriggerFilter(new IgnoreRules(List.of(BuiltinIgnores.FILE)), Map.of(), TriggerPaths.NONE);

    private final IgnoreRules ignoreFiles;
    private final Map<String, ComponentScope> scopes;
    private final TriggerPaths triggerPaths;

    /**
     * @param ignoreFiles  the built-ins plus every .dabignore (and .gitignore), as one gitignore rule set over the workspace
     * @param scopes       each component's files, by component folder
     * @param triggerPaths dab.yml's whitelist or blacklist
     */
    public TriggerFilter(IgnoreRules ignoreFiles, Map<String, ComponentScope> scopes, TriggerPaths triggerPaths) {
        this.ignoreFiles = ignoreFiles;
        this.scopes = Map.copyOf(scopes);
        this.triggerPaths = triggerPaths;
    }

    /**
     * Why a change at {@code path} does not trigger a build of {@code component}, as
     * {@code source:line:pattern} (the form of {@code git check-ignore -v}), or empty when it does.
     */
    public Optional<String> whyIgnored(String component, String path, boolean isDirectory) {
        ComponentScope scope = scope(component);
        if (scope.isBuildDefinition(path)) {
            return Optional.empty();
        }
        Optional<GitignorePattern> pattern = ignoreFiles.decidingPattern(path, isDirectory);
        if (pattern.isPresent() && !pattern.get().negated()) {
            GitignorePattern p = pattern.get();
            return Optional.of(p.source() + ":" + p.line() + ":" + p.text());
        }
        Optional<String> inContext = scope.inContext(path);
        if (inContext.isPresent() && !inContext.get().isEmpty()) {
            Optional<String> excluded = scope.dockerignore().exclusion(inContext.get());
            if (excluded.isPresent()) {
                return Optional.of(scope.dockerignoreSource().orElse(".dockerignore") + ":" + excluded.get());
            }
        }
        return triggerPaths.whyExcluded(path, isDirectory);
    }

    /** What {@code check-ignore} prints for a path that belongs to no component: it can build nothing. */
    public static final String NO_COMPONENT = "<no component>:0:";

    /**
     * Why a change at {@code path} builds nothing at all ({@code source:line:pattern}), or empty when it
     * triggers at least one component's build: what {@code auto-rebuild check-ignore} answers.
     */
    public Optional<String> whyNoBuild(String path, boolean isDirectory) {
        List<String> covering = componentsCovering(path);
        Optional<String> reason = Optional.empty();
        for (String component : covering) {
            Optional<String> why = whyIgnored(component, path, isDirectory);
            if (why.isEmpty()) {
                return why;
            }
            reason = reason.isPresent() ? reason : why;
        }
        if (reason.isPresent()) {
            return reason;
        }
        Optional<GitignorePattern> pattern = ignoreFiles.decidingPattern(path, isDirectory);
        if (pattern.isPresent() && !pattern.get().negated()) {
            return Optional.of(pattern.get().source() + ":" + pattern.get().line() + ":" + pattern.get().text());
        }
        return Optional.of(NO_COMPONENT);
    }

    public boolean triggers(String component, String path, boolean isDirectory) {
        return whyIgnored(component, path, isDirectory).isEmpty();
    }

    /**
     * Whether a whole folder can be skipped when walking for a component: ignored by gitignore rules
     * (nothing inside can come back), excluded by a .dockerignore with no {@code !} line that could
     * re-include something inside, or blacklisted with no {@code !} glob.
     */
    public boolean prunes(String component, String folder) {
        if (ignoreFiles.isIgnored(folder, true)) {
            return true;
        }
        ComponentScope scope = scope(component);
        if (scope.isBuildDefinition(folder) || isAncestorOfARoot(scope, folder)) {
            return false;
        }
        Optional<String> inContext = scope.inContext(folder);
        if (inContext.isPresent() && !inContext.get().isEmpty() && !scope.dockerignore().hasExceptions()
                && scope.dockerignore().excludes(inContext.get()) && !dockerfileIsUnder(scope, folder)) {
            return true;
        }
        return triggerPaths.kind() == TriggerPaths.Kind.BLACKLIST
                && triggerPaths.patterns().stream().noneMatch(GitignorePattern::negated)
                && triggerPaths.whyExcluded(folder, true).isPresent();
    }

    private static boolean isAncestorOfARoot(ComponentScope scope, String folder) {
        return scope.roots().stream().anyMatch(root -> !root.equals(folder) && ComponentScope.contains(folder, root));
    }

    private static boolean dockerfileIsUnder(ComponentScope scope, String folder) {
        return ComponentScope.contains(folder, scope.dockerfile());
    }

    /** The component's scope; a folder without one is taken as a plain component (folder = context). */
    public ComponentScope scope(String component) {
        ComponentScope scope = scopes.get(component);
        return scope != null ? scope : ComponentScope.plain(component, DockerignoreMatcher.NONE, false);
    }

    /** The components whose files include {@code path}, by folder name. */
    public List<String> componentsCovering(String path) {
        return new TreeMap<>(scopes).values().stream().filter(s -> s.covers(path)).map(ComponentScope::folder).toList();
    }
}
