package dev.autorebuild.fs;

import dev.autorebuild.core.content.ComponentContent;
import dev.autorebuild.core.content.FileFingerprint;
import dev.autorebuild.core.ignore.TriggerFilter;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
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

    /** Hashes everything the component's build takes in (each of its roots). Returns how many files it hashed. */
    public int scanAll(Path workspace, String component, TriggerFilter filter, ComponentContent content,
                       Consumer<String> warn) throws IOException {
        int files = 0;
        for (String root : filter.scope(component).roots()) {
            files += scan(workspace, component, root, filter, content, warn);
        }
        return files;
    }

    /**
     * Records every file under {@code path} (workspace-relative, a folder or a file) that may trigger the
     * component, and forgets those no longer there. Returns how many files it hashed.
     */
    public int scan(Path workspace, String component, String path, TriggerFilter filter,
                    ComponentContent content, Consumer<String> warn) throws IOException {
        Path start = PathNames.resolve(workspace, path);
        Set<String> seen = new HashSet<>();
        if (Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
            Files.walkFileTree(start, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    String rel = PathNames.relative(workspace, dir);
                    return !rel.isEmpty() && filter.prunes(component, rel) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    String rel = PathNames.relative(workspace, file);
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
        } else if (!path.isEmpty() && filter.triggers(component, path, false)) {
            Optional<FileFingerprint> fp = hasher.fingerprint(start, path);
            fp.ifPresent(f -> {
                seen.add(path);
                content.record(path, f);
            });
        }
        content.forgetMissingUnder(path, seen);
        return seen.size();
    }
}
