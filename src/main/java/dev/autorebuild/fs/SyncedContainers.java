package dev.autorebuild.fs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code .dab/synced/COMPONENT}: the id of the component's container that live syncs last copied files
 * into. What a sync copied is otherwise known to the running daemon alone: a daemon started again reads
 * these to know which containers may hold files their image does not (a file synced, then deleted while
 * the daemon was down), and has them redeployed from their image.
 */
public final class SyncedContainers {
    private final Path dir;

    public SyncedContainers(Path dir) {
        this.dir = dir;
    }

    /** The containers that received live syncs, as recorded before this daemon started. */
    public Set<String> recorded() {
        Set<String> ids = new HashSet<>();
        if (!Files.isDirectory(dir)) {
            return ids;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
                if (!id.isEmpty()) {
                    ids.add(id);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return ids;
    }

    /** Records that {@code containerId} received a sync for {@code component} (once per container: a no-op after). */
    public void record(String component, String containerId) {
        Path file = dir.resolve(component);
        try {
            if (Files.isRegularFile(file) && Files.readString(file, StandardCharsets.US_ASCII).strip().equals(containerId)) {
                return;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + component, ".tmp");
            Files.writeString(tmp, containerId + "\n", StandardCharsets.US_ASCII);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
