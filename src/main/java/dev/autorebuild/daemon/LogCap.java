package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Keeps a detached daemon's log from filling the disk over a week-long run. The log is the daemon's
 * stdout, opened by the launcher in append mode, so it cannot be renamed away under the process; it is
 * capped the way logrotate's {@code copytruncate} does: copy to {@code .log.1}, then truncate. Appends
 * after the truncation land at the new end of the file. At most twice {@code maxBytes} stay on disk.
 */
public final class LogCap {
    public static final long DEFAULT_MAX_BYTES = 10L * 1024 * 1024;

    private LogCap() {}

    /** Caps the log if it has grown past {@code maxBytes}; returns whether it did. */
    public static boolean capIfNeeded(Path log, Path backup, long maxBytes) throws IOException {
        try {
            if (Files.size(log) <= maxBytes) {
                return false;
            }
        } catch (NoSuchFileException e) {
            return false;
        }
        Files.copy(log, backup, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
            channel.truncate(0);
        }
        return true;
    }
}
