package dev.autorebuild.core.content;

import java.util.Collection;
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
 *
 * <p>Memory: the observed files are a packed {@link FileTable} and a small sorted map of what changed
 * since it was packed. A snapshot packs the changes in; the build of that snapshot makes the same
 * table the built state, so a workspace at rest holds its files once.
 */
public final class ComponentContent {
    /** Packing the changes into the table costs a copy of it: done once they are a good part of it, or at a snapshot. */
    private static final int PACK_AT_LEAST = 4096;

    /** Observed, as of the last packing. */
    private FileTable packed = FileTable.EMPTY;
    /** Observed since: a path's fingerprint now, or {@code null} when it is gone. Sorted, as a table is. */
    private final TreeMap<String, FileFingerprint> changed = new TreeMap<>();
    private FileTable built = FileTable.EMPTY;
    /** What live syncs put into the running container since the build (a gone file: in {@link #syncedGone}). */
    private final Map<String, FileFingerprint> synced = new HashMap<>();
    private final Set<String> syncedGone = new HashSet<>();
    private final Set<String> dirty = new HashSet<>();
    private final String recipe;

    public ComponentContent() {
        this("");
    }

    /** @param recipe how these files are built; see {@link ContentDigest#of(FileTable, String)} */
    public ComponentContent(String recipe) {
        this.recipe = recipe;
    }

    /** Records what a path holds now; {@code null} means it is gone. Returns whether it differs from the build. */
    public synchronized boolean record(String path, FileFingerprint now) {
        changed.put(path, now);
        boolean differs = updateDirty(path);
        if (changed.size() >= Math.max(PACK_AT_LEAST, packed.size() / 2)) {
            pack();
        }
        return differs;
    }

    /**
     * Forgets every observed path under {@code folder} (a relative folder path, "" for all) that is
     * not in {@code stillThere}: what a rescan of that folder did not find any more was deleted.
     */
    public synchronized void forgetMissingUnder(String folder, Set<String> stillThere) {
        Set<String> candidates = new HashSet<>();
        if (folder.isEmpty()) {
            candidates.addAll(changed.keySet());
            addPacked(0, packed.size(), candidates);
        } else {
            candidates.add(folder);
            // '0' is the character after '/': this range is exactly the paths that start with "folder/"
            candidates.addAll(changed.subMap(folder + "/", folder + "0").keySet());
            addPacked(packed.firstFrom(folder + "/"), packed.firstFrom(folder + "0"), candidates);
        }
        candidates.removeAll(stillThere);
        for (String path : candidates) {
            if (observed(path) != null) {
                changed.put(path, null);
                updateDirty(path);
            }
        }
    }

    private void addPacked(int from, int to, Set<String> into) {
        for (int i = from; i < to; i++) {
            into.add(packed.path(i));
        }
    }

    public synchronized boolean isDirty() {
        return !dirty.isEmpty();
    }

    /** The observed state, for a build about to start. */
    public synchronized BuildSnapshot snapshot() {
        pack();
        return new BuildSnapshot(packed, ContentDigest.of(packed, recipe), dirty.size());
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
            FileFingerprint now = observed(path);
            if (!Objects.equals(now, inContainer)) {
                out.put(path, now != null);
            }
        }
        return out;
    }

    /** These paths were copied into (or deleted from) the running container as they are observed now. */
    public synchronized void markSynced(Collection<String> paths) {
        for (String path : paths) {
            FileFingerprint now = observed(path);
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
        built = snapshot.files();
        dirty.clear();
        if (packed != built) { // files changed while it was built (a snapshot packs, so at rest they are one table)
            dirty.addAll(packed.differences(built));
        }
        for (String path : changed.keySet()) {
            updateDirty(path);
        }
    }

    private FileFingerprint observed(String path) {
        FileFingerprint recent = changed.get(path);
        return recent != null || changed.containsKey(path) ? recent : packed.get(path);
    }

    private void pack() {
        packed = packed.with(changed);
        changed.clear();
    }

    private boolean updateDirty(String path) {
        boolean differs = !built.holds(path, observed(path));
        if (differs) {
            dirty.add(path);
        } else {
            dirty.remove(path);
        }
        return differs;
    }
}
