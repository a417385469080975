package dev.autorebuild.core.config;

import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * How a component's files are built, as text: part of its content digest, so the same files built
 * another way (another Dockerfile, context, target or build args) count as a change.
 */
public final class BuildRecipe {
    private BuildRecipe() {}

    /** Empty for a component built the default way, so its digest is that of its files alone. */
    public static String of(DabConfig.ComponentSettings s, Map<String, String> buildArgs) {
        if (s.dockerfile().equals("Dockerfile") && s.context().equals(".") && s.target().isEmpty() && buildArgs.isEmpty()) {
            return "";
        }
        return "dockerfile=" + s.dockerfile() + "\ncontext=" + s.context() + "\ntarget=" + s.target().orElse("")
                + "\nargs=" + new TreeMap<>(buildArgs).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("\u0000"));
    }
}
