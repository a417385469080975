package dev.autorebuild.fs;

import dev.autorebuild.core.content.FileFingerprint;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Fingerprints a file as the build would see it: SHA-256 over its relative path, whether it is
 * executable for the daemon's user (a {@code chmod +x} changes the image; other mode changes are not
 * seen), and its content, read streaming so a file of several GB costs one buffer. A symbolic link is
 * fingerprinted by its target, which is what a build copies.
 */
public final class FileHasher {
    private static final int BUFFER = 64 * 1024;
    private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    /**
     * Whether the daemon's user may execute {@code file}: access(2) with X_OK, the call
     * {@link Files#isExecutable} makes too. JDK 17 turns each "no" of that call into an
     * AccessDeniedException with its stack trace before answering false: on a 100,000-file first look
     * (none executable) 380 ms against 160 ms for {@link File#canExecute}, which makes the same call and
     * returns its answer, and 60 MB of the burst's 1.72 GB of garbage (JFR). A name that is not plain
     * ASCII keeps the Path's own bytes, which a String round trip might not give back.
     */
    static boolean executable(Path file) {
        String name = file.toString();
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) >= 0x80) {
                return Files.isExecutable(file);
            }
        }
        return new File(name).canExecute();
    }

    /** The fingerprint, or empty when the path is gone or is not a file (it vanished, or is a folder). */
    public Optional<FileFingerprint> fingerprint(Path file, String relativePath) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        MessageDigest sha = sha256();
        sha.update(relativePath.getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        if (attrs.isSymbolicLink()) {
            sha.update((byte) 'L');
            try {
                sha.update(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            return Optional.of(FileFingerprint.of(sha.digest()));
        }
        if (!attrs.isRegularFile()) {
            return Optional.empty();
        }
        sha.update((byte) (executable(file) ? 'x' : '-'));
        byte[] buffer = buffers.get();
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                sha.update(buffer, 0, n);
            }
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        return Optional.of(FileFingerprint.of(sha.digest()));
    }

    private static MessageDigest sha256() {
        return dev.autorebuild.core.Sha256.newDigest();
    }
}
