package dev.autorebuild.docker.session;

import dev.autorebuild.core.Sha256;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What this daemon last sent the engine for each folder, so the engine's copy can be trusted.
 *
 * <p>The engine asks only for files whose size or modification time differ from its copy's. A file
 * rewritten with the same size and its time set back ({@code touch -r}, {@code cp -p}, {@code rsync -t})
 * would keep its old content in the image. Its inode change time moves though, and no program can set
 * that back: when it moved while size and time did not, the file is sent with a time one nanosecond
 * off, which the engine cannot match. The copy on the engine is found again by a shared key that
 * includes a salt of this daemon's own, renewed whenever a transfer fails: a copy the memory does not
 * describe (an earlier daemon's, a half-done one) is never used; it costs one full transfer instead.
 *
 * <p>Kept small, since a workspace may hold 100,000 files: per regular file a 64-bit hash of its path
 * and three numbers, 32 bytes, in sorted arrays. The time the engine was sent is kept apart, only for
 * the few files whose sent time is not their own: 0.8 MB less on 100,000 files.
 */
public final class TransferMemory {

    /** One folder's regular files as last sent, sorted by path hash: parallel arrays. */
    private static final class Snapshot {
        final long[] keys;
        final long[] modTimes;
        final long[] ctimes;
        final long[] sizes;
        /** The time sent, by index, where it is not the file's own ({@link #adjusted} moved it): rare. */
        final Map<Integer, Long> sentOtherwise = new HashMap<>();

        Snapshot(List<SentFolder.Entry> files) {
            int n = files.size();
            long[][] rows = new long[n][];
            for (int i = 0; i < n; i++) {
                SentFolder.Entry e = files.get(i);
                rows[i] = new long[] {key(e.stat().path()), e.modTimeNanos(), e.ctimeNanos(), e.stat().size(), e.stat().modTimeNanos()};
            }
            Arrays.sort(rows, (a, b) -> Long.compare(a[0], b[0]));
            keys = new long[n];
            modTimes = new long[n];
            ctimes = new long[n];
            sizes = new long[n];
            for (int i = 0; i < n; i++) {
                keys[i] = rows[i][0];
                set(i, rows[i][1], rows[i][2], rows[i][3], rows[i][4]);
            }
        }

        void set(int at, long modTime, long ctime, long size, long sentModTime) {
            modTimes[at] = modTime;
            ctimes[at] = ctime;
            sizes[at] = size;
            if (sentModTime == modTime) {
                sentOtherwise.remove(at);
            } else {
                sentOtherwise.put(at, sentModTime);
            }
        }

        long sentModTime(int at) {
            return sentOtherwise.getOrDefault(at, modTimes[at]);
        }

        int find(String path) {
            int at = Arrays.binarySearch(keys, key(path));
            return at < 0 ? -1 : at;
        }
    }

    private static final class Folder {
        final String salt = UUID.randomUUID().toString();
        final Map<String, Snapshot> dirs = new HashMap<>();
    }

    private final Map<String, Folder> sessions = new HashMap<>();

    /** The key the engine keeps its copies of a session's folders under: one per build context and Dockerfile. */
    synchronized String sharedKey(String session) {
        return Sha256.hex(session + "\n" + of(session).salt);
    }

    /**
     * The entries of one of a session's folders as they are sent: a regular file that changed without its
     * size or time changing gets a time of its own.
     */
    synchronized SentFolder adjusted(String session, String dir, SentFolder entries) {
        Snapshot last = of(session).dirs.get(dir);
        if (last == null) {
            return entries;
        }
        return new SentFolder(entries.entries().stream().map(entry -> {
            int at = entry.stat().isRegularFile() ? last.find(entry.stat().path()) : -1;
            if (at < 0 || last.modTimes[at] != entry.modTimeNanos() || last.sizes[at] != entry.stat().size()) {
                return entry;
            }
            return entry.withSentModTime(last.ctimes[at] == entry.ctimeNanos() ? last.sentModTime(at) : last.sentModTime(at) + 1);
        }).toList());
    }

    /**
     * The engine received {@code entries} (as {@link #adjusted} made them): its copy now holds them. A
     * folder sent whole replaces what was known of it; a part of it ({@code .dockerignore} alone) updates
     * the files it holds.
     */
    synchronized void sent(String session, String dir, SentFolder entries, boolean whole) {
        List<SentFolder.Entry> files = entries.entries().stream().filter(e -> e.stat().isRegularFile()).toList();
        Map<String, Snapshot> dirs = of(session).dirs;
        Snapshot last = dirs.get(dir);
        if (whole || last == null) {
            dirs.put(dir, new Snapshot(files));
            return;
        }
        for (SentFolder.Entry e : files) {
            int at = last.find(e.stat().path());
            if (at >= 0) {
                last.set(at, e.modTimeNanos(), e.ctimeNanos(), e.stat().size(), e.stat().modTimeNanos());
            }
        }
    }

    /** A transfer of the session's failed: what the engine holds is unknown, so the next build starts new copies. */
    synchronized void failed(String session) {
        sessions.put(session, new Folder());
    }

    private Folder of(String session) {
        return sessions.computeIfAbsent(session, f -> new Folder());
    }

    /** A 64-bit FNV-1a hash of a path: two paths of one folder sharing it is a one in 10^9 chance at 100,000 files. */
    static long key(String path) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            hash = (hash ^ (c & 0xff)) * 0x100000001b3L;
            hash = (hash ^ (c >>> 8)) * 0x100000001b3L;
        }
        return hash;
    }
}
