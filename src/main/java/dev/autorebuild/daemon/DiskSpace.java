package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether the file system of the daemon's state folder has room for its log. When it has not, the log
 * cannot say so: the daemon shows the warning in {@code -s status} and on the dashboard instead, and
 * hands it to the system journal where there is one.
 */
public final class DiskSpace {
    /** Below this, log lines are about to be lost (or already are). */
    public static final long LOW = 1024 * 1024;

    private DiskSpace() {}

    /** A warning naming the folder and what is left, or empty when there is room. */
    public static Optional<String> lowSpaceWarning(Path dir) {
        long free;
        try {
            free = Files.getFileStore(dir).getUsableSpace();
        } catch (IOException e) {
            return Optional.empty(); // a folder that went away is not a full disk
        }
        return free >= LOW ? Optional.empty() : Optional.of("no space left on the device of " + dir + " (" + free / 1024
                + " KiB free): the log is not being written; builds go on. Free some space and it carries on by itself");
    }

    /** Best effort: the system journal or syslog, through logger(1), when present; silent otherwise. */
    public static void tellTheJournal(String message) {
        try {
            new ProcessBuilder("logger", "-t", "auto-rebuild", "-p", "user.warning", message)
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            // no logger on this machine
        }
    }
}
