package dev.autorebuild.fs;

import dev.autorebuild.core.content.ComponentContent;
import dev.autorebuild.core.content.FileFingerprint;
import dev.autorebuild.core.ignore.TriggerFilter;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Hashes what a component holds under one of its folders into its {@link ComponentContent}, skipping
 * what the trigger filter ignores. Used to prime the cache at start, to rescan after lost events, and
 * for folders that appear with files already in them. Links are not followed, so a symlink loop
 * cannot trap the walk.
 */
public final class ComponentScanner {
    private final FileHasher hasher;

    public ComponentScanner(FileHasher hasher) {
        this.hasher = hasher;
    }

    /**
     * Records every file under {@code folder} (relative to the component, "" for all of it) and forgets
     * those no longer there. Returns how many files it hashed.
     */
    public int scan(Path componentDir, String component, String folder, TriggerFilter filter,
                    ComponentContent content, Consumer<String> warn) throws IOException {
        Path start = PathNames.resolve(componentDir, folder);
        Set<String> seen = new HashSet<>();
        if (Files.isDirectory(start)) {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String rel = PathNames.relative(componentDir, dir);
                    return !rel.isEmpty() && filter.prunes(component, rel) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = PathNames.relative(componentDir, file);
                    if (filter.triggers(component, rel, false)) {
                        Optional<FileFingerprint> fp = hasher.fingerprint(file, rel);
                        if (fp.isPresent()) {
                            seen.add(rel);
                            content.record(rel, fp.get());
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    if (e instanceof AccessDeniedException) {
                        warn.accept("cannot read " + file + " (permission denied); skipped");
                    } else if (!(e instanceof NoSuchFileException)) {
                        warn.accept("cannot read " + file + ": " + e.getMessage() + "; skipped");
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } else if (!folder.isEmpty() && filter.triggers(component, folder, false)) {
            Optional<FileFingerprint> fp = hasher.fingerprint(start, folder);
            fp.ifPresent(f -> {
                seen.add(folder);
                content.record(folder, f);
            });
        }
        content.forgetMissingUnder(folder, seen);
        return seen.size();
    }
}
