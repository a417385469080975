package dev.autorebuild.core.content;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/** What a component's image was built from: the content digest and every file's fingerprint. */
public record BuiltRecord(String component, String digest, SortedMap<String, FileFingerprint> files) {
    public BuiltRecord {
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    public static BuiltRecord of(String component, BuildSnapshot snapshot) {
        return new BuiltRecord(component, snapshot.digest(), snapshot.files());
    }

    /** The paths that differ between this record and {@code now}: added, changed or removed, in path order. */
    public List<String> changedPaths(SortedMap<String, FileFingerprint> now) {
        TreeSet<String> changed = new TreeSet<>();
        for (Map.Entry<String, FileFingerprint> file : now.entrySet()) {
            if (!file.getValue().equals(files.get(file.getKey()))) {
                changed.add(file.getKey());
            }
        }
        for (String path : files.keySet()) {
            if (!now.containsKey(path)) {
                changed.add(path);
            }
        }
        return new ArrayList<>(changed);
    }
}
