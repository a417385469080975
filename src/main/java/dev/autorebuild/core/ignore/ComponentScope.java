package dev.autorebuild.core.ignore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which files of the workspace belong to one component's build, all as workspace-relative paths
 * ("" is the workspace itself): its build context, its folder (where its Dockerfile lives), and any
 * extra watched paths; the Dockerfile and the ignore file that shapes the context.
 *
 * @param dockerignoreSource the ignore file in use: {@code <Dockerfile>.dockerignore} if present, else
 *                           the context's {@code .dockerignore}; empty when there is none
 */
public record ComponentScope(String folder, String context, String dockerfile, Optional<String> dockerignoreSource,
                             DockerignoreMatcher dockerignore, List<String> watch) {

    public ComponentScope {
        watch = List.copyOf(watch);
    }

    /** A component as discovered without configuration: its folder is its context, its Dockerfile is {@code Dockerfile}. */
    public static ComponentScope plain(String folder, DockerignoreMatcher dockerignore, boolean hasDockerignore) {
        return new ComponentScope(folder, folder, folder + "/Dockerfile",
                hasDockerignore ? Optional.of(folder + "/.dockerignore") : Optional.empty(), dockerignore, List.of());
    }

    /** The folders (or files) to walk for this component, none inside another. */
    public List<String> roots() {
        List<String> roots = new ArrayList<>();
        for (String candidate : candidates()) {
            if (roots.stream().noneMatch(r -> contains(r, candidate))) {
                roots.removeIf(r -> contains(candidate, r));
                roots.add(candidate);
            }
        }
        return roots;
    }

    private List<String> candidates() {
        List<String> all = new ArrayList<>();
        all.add(context);
        all.add(folder);
        all.addAll(watch);
        return all;
    }

    /** Whether a change at {@code path} can concern this component. */
    public boolean covers(String path) {
        return candidates().stream().anyMatch(root -> contains(root, path));
    }

    /** {@code path} relative to the build context, or empty when it is outside it. */
    public Optional<String> inContext(String path) {
        if (context.isEmpty()) {
            return Optional.of(path);
        }
        if (path.equals(context)) {
            return Optional.of("");
        }
        return path.startsWith(context + "/") ? Optional.of(path.substring(context.length() + 1)) : Optional.empty();
    }

    /** The Dockerfile and the context's ignore file always reach the engine, so they always count. */
    public boolean isBuildDefinition(String path) {
        return path.equals(dockerfile) || dockerignoreSource.map(path::equals).orElse(false);
    }

    /** The Dockerfile as the engine sees it: relative to the context. */
    public String dockerfileInContext() {
        return inContext(dockerfile).orElseThrow(() -> new IllegalStateException(dockerfile + " is outside the context " + context));
    }

    static boolean contains(String root, String path) {
        return root.isEmpty() || path.equals(root) || path.startsWith(root + "/");
    }
}
