package dev.autorebuild.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the watcher saw. {@code OVERFLOW} means events were lost (the kernel or JDK queue filled up):
 * the path is unknown and everything must be rescanned.
 */
public record FileEvent(Kind kind, Path path, boolean directory) {
    public enum Kind { CREATED, MODIFIED, DELETED, OVERFLOW }

    public FileEvent {
        Objects.requireNonNull(kind, "kind");
        if (kind != Kind.OVERFLOW) {
            Objects.requireNonNull(path, "path");
        }
    }

    public static FileEvent overflow() {
        return new FileEvent(Kind.OVERFLOW, null, false);
    }
}
