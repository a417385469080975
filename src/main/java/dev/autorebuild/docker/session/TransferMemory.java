package dev.autorebuild.docker.session;

import dev.autorebuild.core.Sha256;

import java.util.HashMap;
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
 */
public final class TransferMemory {
    private record Seen(long modTime, long ctime, long size, long sentModTime) {}

    private static final class Folder {
        final String salt = UUID.randomUUID().toString();
        final Map<String, Seen> seen = new HashMap<>();
    }

    private final Map<String, Folder> folders = new HashMap<>();

    /** The key the engine keeps its copies of a session's folders under: one per build context and Dockerfile. */
    synchronized String sharedKey(String session) {
        return Sha256.hex(session + "\n" + of(session).salt);
    }

    /**
     * The entries of one of a session's folders as they are sent: a regular file that changed without its
     * size or time changing gets a time of its own.
     */
    synchronized SentFolder adjusted(String session, String dir, SentFolder entries) {
        Map<String, Seen> seen = of(session).seen;
        return new SentFolder(entries.entries().stream().map(entry -> {
            Seen last = seen.get(dir + "\0" + entry.stat().path());
            if (!entry.stat().isRegularFile() || last == null || last.modTime() != entry.modTimeNanos()
                    || last.size() != entry.stat().size()) {
                return entry;
            }
            return entry.withSentModTime(last.ctime() == entry.ctimeNanos() ? last.sentModTime() : last.sentModTime() + 1);
        }).toList());
    }

    /** The engine received {@code entries} (as {@link #adjusted} made them): its copy now holds them. */
    synchronized void sent(String session, String dir, SentFolder entries) {
        Map<String, Seen> seen = of(session).seen;
        for (SentFolder.Entry entry : entries.entries()) {
            if (entry.stat().isRegularFile()) {
                seen.put(dir + "\0" + entry.stat().path(), new Seen(entry.modTimeNanos(), entry.ctimeNanos(), entry.stat().size(),
                        entry.stat().modTimeNanos()));
            }
        }
    }

    /** A transfer of the session's failed: what the engine holds is unknown, so the next build starts new copies. */
    synchronized void failed(String session) {
        folders.put(session, new Folder());
    }

    private Folder of(String session) {
        return folders.computeIfAbsent(session, f -> new Folder());
    }
}
