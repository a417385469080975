package dev.autorebuild.core.content;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * A component's files and their fingerprints, sorted by path, packed into three arrays: every path's
 * UTF-8 bytes end to end, where each path starts, and four longs per fingerprint. Immutable, so what
 * is observed now, what a build started from and what the image holds are one shared table until a
 * file changes, which is how a workspace spends most of its time.
 *
 * <p>Why packed: a workspace may hold 100,000 files. Kept as a {@code TreeMap} of path strings to
 * fingerprint objects, plus a second map for the built state, a file cost about 190 bytes of heap;
 * here it costs its path's bytes and 36 more.
 *
 * <p>Order: {@link String#compareTo} (UTF-16 code units), the order the digest has always hashed in.
 * Byte order is the same order unless two paths first differ at a non-ASCII character; then the two
 * paths are decoded and compared as strings.
 */
public final class FileTable {
    public static final FileTable EMPTY = new FileTable(new byte[0], new int[] {0}, new long[0]);

    private final byte[] names;
    /** Path i is {@code names[starts[i]]} up to {@code names[starts[i + 1]]}. */
    private final int[] starts;
    /** Fingerprint i is {@code prints[4i]} to {@code prints[4i + 3]}. */
    private final long[] prints;

    private FileTable(byte[] names, int[] starts, long[] prints) {
        this.names = names;
        this.starts = starts;
        this.prints = prints;
    }

    /** The files of a map sorted by natural order. */
    public static FileTable of(SortedMap<String, FileFingerprint> files) {
        if (files.comparator() != null) {
            throw new IllegalArgumentException("a file table is in the paths' natural order");
        }
        Builder out = new Builder(files.size(), 32 * files.size());
        files.forEach(out::add);
        return out.build();
    }

    /**
     * This table with {@code changes} applied: a path mapped to a fingerprint is added or replaced, a
     * path mapped to {@code null} is gone. {@code changes} is sorted by natural order.
     */
    public FileTable with(SortedMap<String, FileFingerprint> changes) {
        if (changes.isEmpty()) {
            return this;
        }
        Builder out = new Builder(size() + changes.size(), names.length + 64 * changes.size());
        int i = 0;
        for (Map.Entry<String, FileFingerprint> change : changes.entrySet()) {
            byte[] key = utf8(change.getKey());
            int cmp = -1;
            while (i < size() && (cmp = compare(i, key)) < 0) {
                out.copy(this, i++);
            }
            if (cmp == 0) {
                i++; // replaced or gone
            }
            if (change.getValue() != null) {
                out.add(key, change.getValue());
            }
        }
        while (i < size()) {
            out.copy(this, i++);
        }
        return out.build();
    }

    public int size() {
        return starts.length - 1;
    }

    public String path(int i) {
        return new String(names, starts[i], starts[i + 1] - starts[i], StandardCharsets.UTF_8);
    }

    public FileFingerprint fingerprint(int i) {
        return new FileFingerprint(prints[4 * i], prints[4 * i + 1], prints[4 * i + 2], prints[4 * i + 3]);
    }

    /** Whether file i's fingerprint is {@code print}, without making an object of it. */
    public boolean holds(int i, FileFingerprint print) {
        return prints[4 * i] == print.a() && prints[4 * i + 1] == print.b() && prints[4 * i + 2] == print.c()
                && prints[4 * i + 3] == print.d();
    }

    /** The path's index, or {@code -(where it would go) - 1} when the table does not hold it. */
    public int indexOf(String path) {
        return search(utf8(path));
    }

    /** The path's fingerprint, or {@code null}. */
    public FileFingerprint get(String path) {
        int i = indexOf(path);
        return i < 0 ? null : fingerprint(i);
    }

    /** Whether the table holds {@code path} with fingerprint {@code print} ({@code null}: does not hold the path). */
    public boolean holds(String path, FileFingerprint print) {
        int i = indexOf(path);
        return print == null ? i < 0 : i >= 0 && holds(i, print);
    }

    /** The index of the first path that is not before {@code key}. */
    public int firstFrom(String key) {
        int i = indexOf(key);
        return i < 0 ? -i - 1 : i;
    }

    public List<String> paths() {
        List<String> out = new ArrayList<>(size());
        for (int i = 0; i < size(); i++) {
            out.add(path(i));
        }
        return out;
    }

    /** Feeds each file in order: its path's UTF-8 bytes, a NUL, its fingerprint's 32 bytes (see {@link ContentDigest}). */
    void hashInto(MessageDigest sha) {
        byte[] print = new byte[32];
        for (int i = 0; i < size(); i++) {
            sha.update(names, starts[i], starts[i + 1] - starts[i]);
            sha.update((byte) 0);
            for (int word = 0; word < 4; word++) {
                long value = prints[4 * i + word];
                for (int b = 0; b < 8; b++) {
                    print[8 * word + b] = (byte) (value >>> (56 - 8 * b));
                }
            }
            sha.update(print);
        }
    }

    /**
     * The paths that differ between this table and {@code other}: in one and not the other, or with
     * other fingerprints; in path order.
     */
    public List<String> differences(FileTable other) {
        List<String> out = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < size() || j < other.size()) {
            int cmp = i == size() ? 1 : j == other.size() ? -1 : compare(i, other, j);
            if (cmp < 0) {
                out.add(path(i++));
            } else if (cmp > 0) {
                out.add(other.path(j++));
            } else {
                if (!Arrays.equals(prints, 4 * i, 4 * i + 4, other.prints, 4 * j, 4 * j + 4)) {
                    out.add(path(i));
                }
                i++;
                j++;
            }
        }
        return out;
    }

    /** Tables are equal when they hold the same paths with the same fingerprints. */
    @Override
    public boolean equals(Object o) {
        return o instanceof FileTable other && Arrays.equals(starts, other.starts) && Arrays.equals(names, other.names)
                && Arrays.equals(prints, other.prints);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(names) + Arrays.hashCode(prints);
    }

    @Override
    public String toString() {
        return size() + " files";
    }

    private int search(byte[] key) {
        int low = 0;
        int high = size() - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = compare(mid, key);
            if (cmp < 0) {
                low = mid + 1;
            } else if (cmp > 0) {
                high = mid - 1;
            } else {
                return mid;
            }
        }
        return -low - 1;
    }

    private int compare(int i, byte[] key) {
        return compare(names, starts[i], starts[i + 1], key, 0, key.length);
    }

    private int compare(int i, FileTable other, int j) {
        return compare(names, starts[i], starts[i + 1], other.names, other.starts[j], other.starts[j + 1]);
    }

    /** Two paths' UTF-8 bytes compared in {@link String#compareTo} order. */
    static int compare(byte[] a, int aFrom, int aTo, byte[] b, int bFrom, int bTo) {
        int length = Math.min(aTo - aFrom, bTo - bFrom);
        int at = Arrays.mismatch(a, aFrom, aFrom + length, b, bFrom, bFrom + length);
        if (at < 0) {
            return Integer.compare(aTo - aFrom, bTo - bFrom); // one is the other's start: the shorter comes first
        }
        byte x = a[aFrom + at];
        byte y = b[bFrom + at];
        if (x >= 0 && y >= 0) {
            return Integer.compare(x, y); // two ASCII bytes stand for themselves, after equal characters
        }
        return new String(a, aFrom, aTo - aFrom, StandardCharsets.UTF_8)
                .compareTo(new String(b, bFrom, bTo - bFrom, StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String path) {
        byte[] bytes = path.getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < path.length(); k++) {
            if (Character.isSurrogate(path.charAt(k))) {
                if (!new String(bytes, StandardCharsets.UTF_8).equals(path)) {
                    // a file name read from disk is always whole; only a caller's mistake gets here
                    throw new IllegalArgumentException("not a whole Unicode string (a lone surrogate): " + path);
                }
                break;
            }
        }
        return bytes;
    }

    /** Appends files in path order. */
    private static final class Builder {
        private byte[] names;
        private int[] starts;
        private long[] prints;
        private int count;

        Builder(int expected, int nameBytes) {
            names = new byte[Math.max(16, nameBytes)];
            starts = new int[expected + 1];
            prints = new long[4 * expected];
        }

        void add(String path, FileFingerprint print) {
            add(utf8(path), print);
        }

        void add(byte[] path, FileFingerprint print) {
            append(path, 0, path.length);
            setPrint(print.a(), print.b(), print.c(), print.d());
        }

        void copy(FileTable from, int i) {
            append(from.names, from.starts[i], from.starts[i + 1] - from.starts[i]);
            System.arraycopy(from.prints, 4 * i, prints, 4 * count - 4, 4);
        }

        private void append(byte[] bytes, int from, int length) {
            if (count + 1 >= starts.length) {
                starts = Arrays.copyOf(starts, 2 * starts.length + 1);
                prints = Arrays.copyOf(prints, 4 * (starts.length - 1));
            }
            int end = starts[count];
            if (end + length > names.length) {
                names = Arrays.copyOf(names, Math.max(2 * names.length, end + length));
            }
            System.arraycopy(bytes, from, names, end, length);
            count++;
            starts[count] = end + length;
        }

        private void setPrint(long a, long b, long c, long d) {
            int at = 4 * (count - 1);
            prints[at] = a;
            prints[at + 1] = b;
            prints[at + 2] = c;
            prints[at + 3] = d;
        }

        FileTable build() {
            if (count == 0) {
                return EMPTY;
            }
            return new FileTable(Arrays.copyOf(names, starts[count]), Arrays.copyOf(starts, count + 1), Arrays.copyOf(prints, 4 * count));
        }
    }
}
