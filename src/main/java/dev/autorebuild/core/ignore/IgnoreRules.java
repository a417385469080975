package dev.autorebuild.core.ignore;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A set of gitignore-syntax files evaluated as git does: a file in a deeper folder overrides one
 * higher up, the last matching line of a file decides, and nothing inside an excluded directory can
 * be re-included (git never even looks inside it).
 */
public final class IgnoreRules {
    public static final IgnoreRules NONE = new IgnoreRules(List.of());

    private final List<IgnoreFile> deepestFirst;

    public IgnoreRules(List<IgnoreFile> files) {
        List<IgnoreFile> sorted = new ArrayList<>(files);
        sorted.sort(Comparator.comparingInt((IgnoreFile f) -> depth(f.base())).reversed());
        this.deepestFirst = List.copyOf(sorted);
    }

    public List<IgnoreFile> files() {
        return deepestFirst;
    }

    public boolean isIgnored(String path, boolean isDirectory) {
        return decidingPattern(path, isDirectory).filter(p -> !p.negated()).isPresent();
    }

    /**
     * The pattern that decides {@code path} (workspace-relative, '/'-separated): an excluding one when
     * the path or one of its parent folders is ignored, a negated one when a {@code !} line
     * re-included it, empty when nothing matched.
     */
    public Optional<GitignorePattern> decidingPattern(String path, boolean isDirectory) {
        int slash = path.indexOf('/');
        while (slash > 0) {
            GitignorePattern parent = lastMatch(path.substring(0, slash), true);
            if (parent != null && !parent.negated()) {
                return Optional.of(parent);
            }
            slash = path.indexOf('/', slash + 1);
        }
        return Optional.ofNullable(lastMatch(path, isDirectory));
    }

    private GitignorePattern lastMatch(String path, boolean isDirectory) {
        for (IgnoreFile file : deepestFirst) {
            GitignorePattern match = file.lastMatch(path, isDirectory);
            if (match != null) {
                return match;
            }
        }
        return null;
    }

    private static int depth(String base) {
        return base.isEmpty() ? 0 : base.split("/").length;
    }
}
