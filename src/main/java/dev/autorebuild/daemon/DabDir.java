package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A workspace's daemon state folder, {@code <workspace>/.dab/}: the PID file (0644) and log (0640)
 * under the seed's names, the lock that makes one daemon per workspace, and the control socket.
 */
public record DabDir(Path workspace, Path dir) {
    public static final String NAME = ".dab";
    static final Set<PosixFilePermission> PID_MODE = PosixFilePermissions.fromString("rw-r--r--");
    static final Set<PosixFilePermission> LOG_MODE = PosixFilePermissions.fromString("rw-r-----");
    static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    public static DabDir of(Path workspace) {
        Path ws = workspace.toAbsolutePath().normalize();
        return new DabDir(ws, ws.resolve(NAME));
    }

    public Path pidFile() {
        return dir.resolve("auto-rebuild.pid");
    }

    public Path logFile() {
        return dir.resolve("auto-rebuild.log");
    }

    /** The previous log, kept when the log is capped. */
    public Path logBackup() {
        return dir.resolve("auto-rebuild.log.1");
    }

    /** Held (an OS file lock) by the live daemon: the kernel frees it when the process dies, however it dies. */
    public Path lockFile() {
        return dir.resolve("auto-rebuild.lock");
    }

    /** The dashboard's address with its access token, one line; owner-only, present while the daemon runs. */
    public Path dashboardFile() {
        return dir.resolve("dashboard");
    }

    /** The access token alone, owner-only: what a Prometheus scrape job's {@code credentials_file} points at. */
    public Path tokenFile() {
        return dir.resolve("token");
    }

    /**
     * Why the last start's daemon refused to watch (an invalid configuration, an unusable engine), in the
     * words the launcher prints; owner-only. The daemon checks both itself, so the launcher need not read
     * them first: {@link StartRefusal}.
     */
    public Path refusalFile() {
        return dir.resolve("start-refused");
    }

    public void writeDashboard(String url, String token) throws IOException {
        create();
        writeAtomically(tokenFile(), token + "\n", OWNER_ONLY);
        writeAtomically(dashboardFile(), url + "\n", OWNER_ONLY);
    }

    public DabDir create() throws IOException {
        Files.createDirectories(dir);
        return this;
    }

    /** Creates the log with mode 0640 if it is missing (appending never changes the mode). */
    public Path createLog() throws IOException {
        create();
        if (!Files.exists(logFile())) {
            Files.createFile(logFile(), PosixFilePermissions.asFileAttribute(LOG_MODE));
            Files.setPosixFilePermissions(logFile(), LOG_MODE); // the umask may have narrowed it
        }
        return logFile();
    }

    /** Writes {@code text} to {@code target} with {@code mode}: temp file then rename, so readers never see half of it. */
    static void writeAtomically(Path target, String text, Set<PosixFilePermission> mode) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.setPosixFilePermissions(temp, mode);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
