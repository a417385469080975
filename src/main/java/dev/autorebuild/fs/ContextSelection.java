package dev.autorebuild.fs;

import dev.autorebuild.core.ignore.DockerignoreMatcher;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Set;

/**
 * Which entries of a folder make up its build context: the one walk behind both ways a context
 * reaches the engine (the tar of {@link BuildContextTar}, the file transfer of a BuildKit session), so
 * the two can never disagree on what the ignore file leaves out.
 */
public final class ContextSelection {
    private ContextSelection() {}

    /** What the walk hands out, in the file system's order. */
    public interface Visitor {
        /** A folder the ignore file keeps (an ignored folder that holds kept files is walked, not handed out). */
        void directory(String relative, Path dir) throws IOException;

        /** A regular file or a symbolic link that is sent. */
        void entry(String relative, Path file, BasicFileAttributes attrs) throws IOException;
    }

    /**
     * @param alwaysSent context paths sent even when the ignore file lists them: the Dockerfile and the ignore file
     * @param neverSent  context folders left out whatever the ignore file says (auto-rebuild's .dab)
     */
    public static void walk(Path contextDir, DockerignoreMatcher ignore, Set<String> alwaysSent, Set<String> neverSent,
                            Visitor visitor) throws IOException {
        Files.walkFileTree(contextDir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String rel = PathNames.relative(contextDir, dir);
                if (rel.isEmpty()) {
                    return FileVisitResult.CONTINUE;
                }
                if (neverSent.contains(rel)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                if (ignore.excludes(rel)) {
                    boolean holdsAlwaysSent = alwaysSent.stream().anyMatch(p -> p.startsWith(rel + "/"));
                    return ignore.hasExceptions() || holdsAlwaysSent ? FileVisitResult.CONTINUE : FileVisitResult.SKIP_SUBTREE;
                }
                visitor.directory(rel, dir);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                String rel = PathNames.relative(contextDir, file);
                if (ignore.excludes(rel) && !alwaysSent.contains(rel)) {
                    return FileVisitResult.CONTINUE;
                }
                if (attrs.isSymbolicLink() || attrs.isRegularFile()) {
                    visitor.entry(rel, file, attrs);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // vanished or unreadable: the next event or rescan covers it
            }
        });
    }
}
