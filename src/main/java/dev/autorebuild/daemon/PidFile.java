package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** {@code .dab/auto-rebuild.pid}: the daemon's pid alone on one line, so {@code kill $(cat …)} works. */
public final class PidFile {
    private PidFile() {}

    public static void write(Path file, long pid) throws IOException {
        DabDir.writeAtomically(file, pid + "\n", DabDir.PID_MODE);
    }

    /** The pid in the file; empty when there is no file or it holds no number. */
    public static Optional<Long> read(Path file) {
        try {
            return Optional.of(Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).strip()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    public static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // left behind: the next start sees it is stale and replaces it
        }
    }
}
