package dev.autorebuild.docker.session;

import dev.autorebuild.core.ignore.DockerignoreMatcher;
import dev.autorebuild.fs.ContextSelection;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A folder as a BuildKit session sends it: its entries with their stats, in the order the engine's
 * receiver checks (a folder before what it holds, names in byte order within a folder), every parent
 * folder present.
 */
final class SentFolder {
    /**
     * @param file         where the content is read from, for regular files
     * @param modTimeNanos the file's real modification time ({@code stat} may carry another, see {@link TransferMemory})
     * @param ctimeNanos   its inode change time: no program can set it back, so it tells a rewrite that kept size and time
     */
    record Entry(EntryStat stat, Path file, long modTimeNanos, long ctimeNanos) {
        Entry withSentModTime(long sent) {
            EntryStat s = stat;
            return new Entry(new EntryStat(s.path(), s.mode(), s.uid(), s.gid(), s.size(), sent, s.linkname()), file, modTimeNanos,
                    ctimeNanos);
        }
    }

    /** Orders paths as a depth-first walk with sorted names does: by component, by code point (UTF-8's byte order). */
    static final Comparator<String> WALK_ORDER = (a, b) -> {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            int ca = a.codePointAt(i);
            int cb = b.codePointAt(j);
            if (ca != cb) {
                if (ca == '/') {
                    return -1; // "a/x" (inside a) comes before "a.txt" and every longer name
                }
                if (cb == '/') {
                    return 1;
                }
                return Integer.compare(ca, cb);
            }
            i += Character.charCount(ca);
            j += Character.charCount(cb);
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };

    private final List<Entry> entries;

    SentFolder(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    List<Entry> entries() {
        return entries;
    }

    /** A build context: exactly the entries the context tar would hold, with the folders that lead to them. */
    static SentFolder context(Path contextDir, DockerignoreMatcher ignore, Set<String> alwaysSent, Set<String> neverSent)
            throws IOException {
        Map<String, Entry> found = new HashMap<>();
        ContextSelection.walk(contextDir, ignore, alwaysSent, neverSent, new ContextSelection.Visitor() {
            @Override
            public void directory(String relative, Path dir) throws IOException {
                add(found, relative, dir);
            }

            @Override
            public void entry(String relative, Path file, BasicFileAttributes attrs) throws IOException {
                add(found, relative, file);
            }
        });
        return ordered(contextDir, found);
    }

    /** The named files of {@code dir} that exist (the Dockerfile's folder: the engine asks for the Dockerfile by name). */
    static SentFolder named(Path dir, List<String> names) throws IOException {
        Map<String, Entry> found = new HashMap<>();
        for (String name : names) {
            Path file = dir.resolve(name).normalize();
            if (file.startsWith(dir) && Files.isRegularFile(file)) { // a link to the Dockerfile is sent as the file it names
                Entry entry = stat(name, file, false);
                if (entry != null) {
                    found.put(name, entry);
                }
            }
        }
        return ordered(dir, found);
    }

    /**
     * Only the entries the engine asked for: those a pattern names (exactly, as a folder they are in, or
     * as a glob), and the folders that lead to them. No pattern: everything.
     */
    SentFolder only(List<String> patterns) {
        if (patterns.isEmpty()) {
            return this;
        }
        List<PathMatcher> globs = patterns.stream().map(p -> FileSystems.getDefault().getPathMatcher("glob:" + p)).toList();
        List<String> cleanPatterns = patterns.stream().map(SentFolder::clean).toList();
        Set<String> kept = new java.util.HashSet<>();
        for (Entry entry : entries) {
            String path = entry.stat().path();
            boolean named = cleanPatterns.stream().anyMatch(p -> path.equals(p) || path.startsWith(p + "/"))
                    || globs.stream().anyMatch(g -> g.matches(Path.of(path)));
            if (named) {
                for (String at = path; at != null; at = parent(at)) {
                    kept.add(at);
                }
            }
        }
        return new SentFolder(entries.stream().filter(e -> kept.contains(e.stat().path())).toList());
    }

    private static String clean(String pattern) {
        String p = pattern.startsWith("./") ? pattern.substring(2) : pattern;
        return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    private static void add(Map<String, Entry> found, String relative, Path file) throws IOException {
        Entry entry = stat(relative, file, true);
        if (entry != null) {
            found.put(relative, entry);
        }
    }

    /** Adds the folders that lead to each entry (an ignored folder holding a kept file), then orders them. */
    private static SentFolder ordered(Path root, Map<String, Entry> found) throws IOException {
        for (String path : List.copyOf(found.keySet())) {
            for (String at = parent(path); at != null && !found.containsKey(at); at = parent(at)) {
                Entry folder = stat(at, root.resolve(at), true);
                if (folder == null) {
                    break;
                }
                found.put(at, folder);
            }
        }
        List<String> paths = new ArrayList<>(found.keySet());
        paths.sort(WALK_ORDER);
        return new SentFolder(paths.stream().map(found::get).toList());
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? null : path.substring(0, slash);
    }

    /** The entry's stat, or null when it vanished or is of a type the transfer does not carry. */
    private static Entry stat(String relative, Path file, boolean noFollow) throws IOException {
        Map<String, Object> unix;
        try {
            unix = noFollow
                    ? Files.readAttributes(file, "unix:mode,uid,gid,size,lastModifiedTime,ctime", LinkOption.NOFOLLOW_LINKS)
                    : Files.readAttributes(file, "unix:mode,uid,gid,size,lastModifiedTime,ctime");
        } catch (NoSuchFileException e) {
            return null;
        }
        int mode = EntryStat.goMode((Integer) unix.get("mode"));
        if (mode == -1) {
            return null;
        }
        boolean directory = (mode & EntryStat.GO_DIR) != 0;
        boolean link = (mode & EntryStat.GO_SYMLINK) != 0;
        String linkname = link ? Files.readSymbolicLink(file).toString() : "";
        long modTime = ((FileTime) unix.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS);
        EntryStat stat = new EntryStat(relative, mode, (Integer) unix.get("uid"), (Integer) unix.get("gid"),
                directory ? 0 : (Long) unix.get("size"), modTime, linkname);
        return new Entry(stat, file, modTime, ((FileTime) unix.get("ctime")).to(TimeUnit.NANOSECONDS));
    }
}
