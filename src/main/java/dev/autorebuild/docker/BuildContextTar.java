package dev.autorebuild.docker;

import dev.autorebuild.core.ignore.DockerignoreMatcher;
import dev.autorebuild.fs.ContextSelection;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Writes a component's build context as an uncompressed tar, applying its .dockerignore with the
 * engine's semantics. Uncompressed because the engine is local: gzip would cost more CPU than the
 * socket saves. The Dockerfile and .dockerignore are always sent, as the Docker CLI does.
 */
public final class BuildContextTar {
    private BuildContextTar() {}

    public static void write(Path contextDir, DockerignoreMatcher ignore, OutputStream out) throws IOException {
        write(contextDir, ignore, Set.of("Dockerfile", ".dockerignore"), Set.of(), out);
    }

    /**
     * @param alwaysSent context paths sent even when the ignore file lists them: the Dockerfile and the ignore file
     * @param neverSent  context folders left out whatever the ignore file says (auto-rebuild's .dab)
     */
    public static void write(Path contextDir, DockerignoreMatcher ignore, Set<String> alwaysSent, Set<String> neverSent,
                             OutputStream out) throws IOException {
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            ContextSelection.walk(contextDir, ignore, alwaysSent, neverSent, new ContextSelection.Visitor() {
                @Override
                public void directory(String relative, Path dir) throws IOException {
                    tar.putArchiveEntry(plainTimes(new TarArchiveEntry(dir, relative + "/", LinkOption.NOFOLLOW_LINKS)));
                    tar.closeArchiveEntry();
                }

                @Override
                public void entry(String relative, Path file, BasicFileAttributes attrs) throws IOException {
                    if (attrs.isSymbolicLink()) {
                        TarArchiveEntry link = plainTimes(new TarArchiveEntry(relative, TarArchiveEntry.LF_SYMLINK));
                        link.setLinkName(Files.readSymbolicLink(file).toString());
                        tar.putArchiveEntry(link);
                        tar.closeArchiveEntry();
                    } else {
                        addFile(tar, file, relative);
                    }
                }
            });
            tar.finish();
        }
    }

    private static void addFile(TarArchiveOutputStream tar, Path file, String rel) throws IOException {
        TarArchiveEntry entry;
        try {
            entry = plainTimes(new TarArchiveEntry(file, rel, LinkOption.NOFOLLOW_LINKS));
        } catch (NoSuchFileException e) {
            return;
        }
        // The size is fixed when the header is written: copy exactly that many bytes even if the file
        // grows meanwhile (a later event rebuilds with the rest).
        long size = entry.getSize();
        tar.putArchiveEntry(entry);
        try (var in = Files.newInputStream(file)) {
            long copied = in.transferTo(new BoundedOutputStream(tar, size));
            for (long i = copied; i < size; i++) {
                tar.write(0); // the file shrank while we read it: pad to the declared size
            }
        }
        tar.closeArchiveEntry();
    }

    /**
     * Whole-second modification times and no access, change or creation times, as the Docker CLI sends:
     * otherwise every entry gets a PAX header first, and BuildKit's upload context (which sniffs the
     * body's first header to tell a tar from a bare Dockerfile) takes the tar for a Dockerfile. The
     * builders' caches key on content and mode, never on these times. (A first entry whose name is over
     * 100 bytes still needs a PAX header: the walk starts with a top-level name, which is never that long
     * in practice.)
     */
    private static TarArchiveEntry plainTimes(TarArchiveEntry entry) {
        entry.setLastAccessTime(null);
        entry.setStatusChangeTime(null);
        entry.setCreationTime(null);
        entry.setLastModifiedTime(FileTime.from(entry.getLastModifiedTime().toInstant().getEpochSecond(), TimeUnit.SECONDS));
        return entry;
    }

    /** Passes through at most {@code limit} bytes and drops the rest. */
    private static final class BoundedOutputStream extends OutputStream {
        private final OutputStream out;
        private long remaining;

        BoundedOutputStream(OutputStream out, long limit) {
            this.out = out;
            this.remaining = limit;
        }

        @Override
        public void write(int b) throws IOException {
            if (remaining > 0) {
                out.write(b);
                remaining--;
            }
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int n = (int) Math.min(len, remaining);
            if (n > 0) {
                out.write(b, off, n);
                remaining -= n;
            }
        }
    }
}
