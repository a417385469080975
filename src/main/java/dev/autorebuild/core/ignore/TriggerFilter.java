package dev.autorebuild.core.ignore;

import java.util.Map;
import java.util.Optional;

/**
 * Decides whether a change to a file inside a component may trigger a build. A file is passed over
 * when the built-in noise list or a {@code .dabignore} (gitignore semantics) ignores it, or when the
 * component's {@code .dockerignore} (Docker semantics) leaves it out of the build context: such a
 * file cannot change the image. The Dockerfile and .dockerignore always count, as the engine always
 * receives them.
 */
public final class TriggerFilter {
    public static final TriggerFilter BUILTIN_ONLY = new TriggerFilter(new IgnoreRules(java.util.List.of(BuiltinIgnores.FILE)), Map.of());

    private final IgnoreRules ignoreFiles;
    private final Map<String, DockerignoreMatcher> dockerignores;

    /**
     * @param ignoreFiles   the built-ins plus every .dabignore, as one gitignore rule set over the workspace
     * @param dockerignores each component folder's .dockerignore
     */
    public TriggerFilter(IgnoreRules ignoreFiles, Map<String, DockerignoreMatcher> dockerignores) {
        this.ignoreFiles = ignoreFiles;
        this.dockerignores = Map.copyOf(dockerignores);
    }

    /** Why a path does not trigger a build, or empty when it does. */
    public Optional<String> whyIgnored(String component, String pathInComponent, boolean isDirectory) {
        if (pathInComponent.isEmpty() || isBuildDefinition(pathInComponent)) {
            return Optional.empty();
        }
        Optional<GitignorePattern> pattern = ignoreFiles.decidingPattern(component + "/" + pathInComponent, isDirectory);
        if (pattern.isPresent() && !pattern.get().negated()) {
            GitignorePattern p = pattern.get();
            return Optional.of(p.source() + ":" + p.line() + ":" + p.text());
        }
        if (dockerignore(component).excludes(pathInComponent)) {
            return Optional.of(component + "/.dockerignore");
        }
        return Optional.empty();
    }

    public boolean triggers(String component, String pathInComponent, boolean isDirectory) {
        return whyIgnored(component, pathInComponent, isDirectory).isEmpty();
    }

    /**
     * Whether a whole folder of a component can be skipped in a walk: ignored by gitignore rules (nothing
     * inside can come back), or excluded by a .dockerignore with no {@code !} line that could re-include
     * something inside.
     */
    public boolean prunes(String component, String folderInComponent) {
        if (ignoreFiles.isIgnored(component + "/" + folderInComponent, true)) {
            return true;
        }
        DockerignoreMatcher docker = dockerignore(component);
        return !docker.hasExceptions() && docker.excludes(folderInComponent);
    }

    public DockerignoreMatcher dockerignore(String component) {
        return dockerignores.getOrDefault(component, DockerignoreMatcher.NONE);
    }

    public static boolean isBuildDefinition(String pathInComponent) {
        return pathInComponent.equals("Dockerfile") || pathInComponent.equals(".dockerignore");
    }
}
