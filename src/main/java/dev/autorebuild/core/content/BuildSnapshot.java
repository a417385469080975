package dev.autorebuild.core.content;

import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files of a component as they were when a build started, and their digest. When the build
 * succeeds this becomes the component's built state.
 */
public record BuildSnapshot(SortedMap<String, FileFingerprint> files, String digest, int changedFiles) {
    public BuildSnapshot {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }
}
