package dev.autorebuild.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a detached daemon tells its launcher why it will not watch. The launcher starts the daemon at once
 * and leaves the checks of the configuration and the engine to it, instead of making them first and the
 * daemon making them again (reading dab.yml alone took the launcher about 0.2 s before it could start
 * the daemon: bench/ scenario 5). A daemon that refuses writes what the user must read to
 * {@link DabDir#refusalFile()} and ends before it takes the workspace's lock; the launcher, seeing it
 * end, prints that text as its own.
 */
public final class StartRefusal {
    private StartRefusal() {}

    /** Before a start: a refusal left by an earlier one must not be taken for this one's. */
    static void clear(DabDir dab) throws IOException {
        Files.deleteIfExists(dab.refusalFile());
    }

    /** The daemon's side: {@code text} as the user should see it, whole or not at all. */
    public static void write(DabDir dab, String text) {
        try {
            dab.create();
            DabDir.writeAtomically(dab.refusalFile(), text, DabDir.OWNER_ONLY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dab.refusalFile(), e);
        }
    }

    /** The launcher's side, once the daemon has ended. */
    static Optional<String> read(DabDir dab) throws IOException {
        Path file = dab.refusalFile();
        try {
            return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }
}
