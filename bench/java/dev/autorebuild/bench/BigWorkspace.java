package dev.autorebuild.bench;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchService;
import java.util.stream.Stream;

/** A big workspace (components × folders × files) and the plain-JDK baseline: registering every folder with a WatchService. */
final class BigWorkspace {
    private BigWorkspace() {}

    /** {@code components} components sharing {@code folders} folders and {@code files} files between them. */
    static Path create(Path root, int components, int folders, int files) throws IOException {
        for (int c = 0; c < components; c++) {
            Files.createDirectories(root.resolve("c" + c));
            Files.writeString(root.resolve("c" + c + "/Dockerfile"), "FROM busybox:stable\nCOPY . /app/\n");
        }
        for (int f = 0; f < folders; f++) {
            Files.createDirectories(root.resolve("c" + (f % components) + "/src/d" + f));
        }
        for (int i = 0; i < files; i++) {
            int folder = i % folders;
            Files.writeString(root.resolve("c" + (folder % components) + "/src/d" + folder + "/f" + i + ".txt"), "file " + i + "\n");
        }
        return root;
    }

    /** Seconds the JDK alone takes to register every folder under {@code root} (what any inotify watcher must do). */
    static double plainRegistrationSeconds(Path root) throws IOException {
        long started = System.nanoTime();
        try (WatchService watch = FileSystems.getDefault().newWatchService(); Stream<Path> walk = Files.walk(root)) {
            for (Path dir : (Iterable<Path>) walk.filter(Files::isDirectory)::iterator) {
                dir.register(watch, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY);
            }
            return (System.nanoTime() - started) / 1e9;
        }
    }
}
