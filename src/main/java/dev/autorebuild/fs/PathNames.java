package dev.autorebuild.fs;

import java.nio.file.Path;

/** Converts between file system paths and the '/'-separated relative names the core works with. */
public final class PathNames {
    private PathNames() {}

    public static String relative(Path base, Path path) {
        Path rel = base.relativize(path);
        StringBuilder out = new StringBuilder();
        for (Path part : rel) {
            if (out.length() > 0) {
                out.append('/');
            }
            out.append(part);
        }
        return out.toString();
    }

    public static Path resolve(Path base, String relative) {
        return relative.isEmpty() ? base : base.resolve(relative);
    }
}
