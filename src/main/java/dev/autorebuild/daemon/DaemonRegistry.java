package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The running daemons of this user, one small file each, so that {@code -s} finds a daemon without
 * {@code -t}. Lives in {@code $XDG_RUNTIME_DIR/auto-rebuild/} (cleared at logout/reboot), else in
 * {@code ~/.local/state/auto-rebuild/}; owner-only. Entries of dead daemons are removed on every read.
 */
public final class DaemonRegistry {
    private final Path dir;

    public DaemonRegistry(Path dir) {
        this.dir = dir;
    }

    public static DaemonRegistry forUser(Map<String, String> env) {
        String runtime = env.get("XDG_RUNTIME_DIR");
        if (runtime != null && !runtime.isBlank() && Files.isDirectory(Path.of(runtime))) {
            return new DaemonRegistry(Path.of(runtime, "auto-rebuild"));
        }
        return new DaemonRegistry(Path.of(System.getProperty("user.home"), ".local", "state", "auto-rebuild"));
    }

    public Path dir() {
        return dir;
    }

    public record Entry(Path workspace, ProcessStart process) {}

    public void register(Path workspace, ProcessStart process) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        DabDir.writeAtomically(entryFile(workspace), process.serialise() + "\n" + workspace + "\n", DabDir.OWNER_ONLY);
    }

    /** Removes the workspace's entry if it is this process's. */
    public void unregister(Path workspace, ProcessStart process) {
        Path file = entryFile(workspace);
        if (read(file).map(e -> e.process().equals(process)).orElse(false)) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // stale entries are dropped on the next read
            }
        }
    }

    /** The daemons alive now, by workspace; stale entries are deleted on the way. */
    public List<Entry> running() {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Entry> alive = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".daemon")).toList()) {
                Optional<Entry> entry = read(file);
                if (entry.isPresent() && entry.get().process().isAlive()) {
                    alive.add(entry.get());
                } else {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            // an unreadable registry lists nothing; -t DIR still works
        }
        alive.sort((a, b) -> a.workspace().compareTo(b.workspace()));
        return alive;
    }

    private static Optional<Entry> read(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2) {
                return Optional.empty();
            }
            return ProcessStart.parse(lines.get(0)).map(p -> new Entry(Path.of(lines.get(1)), p));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Path entryFile(Path workspace) {
        return dir.resolve(hash(workspace.toString()).substring(0, 16) + ".daemon");
    }

    static String hash(String text) {
        return dev.autorebuild.core.Sha256.hex(text);
    }
}
