package dev.autorebuild.core.content;

import java.util.List;

/** What a component's image was built from: the content digest and every file's fingerprint. */
public record BuiltRecord(String component, String digest, FileTable files) {

    public static BuiltRecord of(String component, BuildSnapshot snapshot) {
        return new BuiltRecord(component, snapshot.digest(), snapshot.files());
    }

    /** The paths that differ between this record and {@code now}: added, changed or removed, in path order. */
    public List<String> changedPaths(FileTable now) {
        return files.differences(now);
    }
}
