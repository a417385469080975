package dev.autorebuild.core.ignore;

import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of one gitignore-syntax file, and the folder (relative to the workspace, "" for the
 * workspace itself) whose contents they apply to.
 */
public record IgnoreFile(String base, String source, List<GitignorePattern> patterns) {
    public IgnoreFile {
        patterns = List.copyOf(patterns);
        if (base.startsWith("/") || base.endsWith("/")) {
            throw new IllegalArgumentException("base must be a relative folder without slashes at its ends: " + base);
        }
    }

    public static IgnoreFile parse(String base, String source, String content) {
        List<GitignorePattern> patterns = new ArrayList<>();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            GitignorePattern.parse(lines[i], source, i + 1).ifPresent(patterns::add);
        }
        return new IgnoreFile(base, source, patterns);
    }

    /** The path relative to this file's folder, or null when the path is not inside it. */
    String relativize(String path) {
        if (base.isEmpty()) {
            return path;
        }
        return path.startsWith(base + "/") ? path.substring(base.length() + 1) : null;
    }

    /** The last pattern that matches, which is the one that decides; null if none does. */
    GitignorePattern lastMatch(String path, boolean isDirectory) {
        String relative = relativize(path);
        if (relative == null) {
            return null;
        }
        for (int i = patterns.size() - 1; i >= 0; i--) {
            if (patterns.get(i).matches(relative, isDirectory)) {
                return patterns.get(i);
            }
        }
        return null;
    }
}
