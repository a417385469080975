package dev.autorebuild.core.content;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a component's files hold now (observed) against what its image was built from (built).
 *
 * <p>A component needs a build exactly when the two differ. Every path touched in a debounce window
 * is recorded here, so a no-op write that follows a real change cannot hide it (the seed prototype
 * compared only the last event of a window and lost such changes). Thread-safe: the hashing pool
 * records into it while a build thread takes snapshots.
 */
public final class ComponentContent {
    /** Sorted, so the paths under a folder are one range: a rescan of a folder never walks the whole map. */
    private final TreeMap<String, FileFingerprint> observed = new TreeMap<>();
    private Map<String, FileFingerprint> built = Map.of();
    /** What live syncs put into the running container since the build (a gone file: absent from {@link #syncedGone}). */
    private final Map<String, FileFingerprint> synced = new HashMap<>();
    private final Set<String> syncedGone = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final String recipe;

    public ComponentContent() {
        this("");
    }

    /** @param recipe how these files are built; see {@link ContentDigest#of(SortedMap, String)} */
    public ComponentContent(String recipe) {
        this.recipe = recipe;
    }

    /** Records what a path holds now; {@code null} means it is gone. Returns whether it differs from the build. */
    public synchronized boolean record(String path, FileFingerprint now) {
        if (now == null) {
            observed.remove(path);
        } else {
            observed.put(path, now);
        }
        return updateDirty(path);
    }

    /**
     * Forgets every observed path under {@code folder} (a relative folder path, "" for all) that is
     * not in {@code stillThere}: what a rescan of that folder did not find any more was deleted.
     */
    public synchronized void forgetMissingUnder(String folder, Set<String> stillThere) {
        Set<String> candidates = new HashSet<>();
        if (folder.isEmpty()) {
            candidates.addAll(observed.keySet());
        } else {
            if (observed.containsKey(folder)) {
                candidates.add(folder);
            }
            // '0' is the character after '/': this range is exactly the paths that start with "folder/"
            candidates.addAll(observed.subMap(folder + "/", true, folder + "0", false).keySet());
        }
        candidates.removeAll(stillThere);
        for (String path : candidates) {
            observed.remove(path);
            updateDirty(path);
        }
    }

    public synchronized boolean isDirty() {
        return !dirty.isEmpty();
    }

    /** The observed state, for a build about to start. */
    public synchronized BuildSnapshot snapshot() {
        TreeMap<String, FileFingerprint> files = new TreeMap<>(observed);
        return new BuildSnapshot(files, ContentDigest.of(files, recipe), dirty.size());
    }

    /**
     * The paths whose content differs from what the running container holds: the image's files, with
     * what live syncs copied into it or deleted from it since. Path → whether the file still exists.
     */
    public synchronized Map<String, Boolean> unsynced() {
        Map<String, Boolean> out = new TreeMap<>();
        Set<String> candidates = new HashSet<>(dirty); // what differs from the image, and what syncs changed (a synced file deleted or reverted)
        candidates.addAll(synced.keySet());
        candidates.addAll(syncedGone);
        for (String path : candidates) {
            FileFingerprint inContainer = syncedGone.contains(path) ? null : synced.getOrDefault(path, built.get(path));
            FileFingerprint now = observed.get(path);
            if (!Objects.equals(now, inContainer)) {
                out.put(path, now != null);
            }
        }
        return out;
    }

    /** These paths were copied into (or deleted from) the running container as they are observed now. */
    public synchronized void markSynced(java.util.Collection<String> paths) {
        for (String path : paths) {
            FileFingerprint now = observed.get(path);
            if (now == null) {
                synced.remove(path);
                syncedGone.add(path);
            } else {
                synced.put(path, now);
                syncedGone.remove(path);
            }
        }
    }

    /** The build of {@code snapshot} succeeded: that is what the image holds now. */
    public synchronized void markBuilt(BuildSnapshot snapshot) {
        synced.clear(); // a build holds every file; a container of it holds no sync of its own
        syncedGone.clear();
        built = new HashMap<>(snapshot.files());
        dirty.clear();
        for (String path : observed.keySet()) {
            updateDirty(path);
        }
        for (String path : built.keySet()) {
            updateDirty(path);
        }
    }

    private boolean updateDirty(String path) {
        boolean differs = !Objects.equals(observed.get(path), built.get(path));
        if (differs) {
            dirty.add(path);
        } else {
            dirty.remove(path);
        }
        return differs;
    }
}
