package dev.autorebuild.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A fixture tree for the walk tests, and its own list of what it wrote (the oracle): under {@code root},
 * folders a0..a{n-1}, each with b/ inside, and a file in each of them.
 */
record FolderTree(List<Path> folders, List<Path> files) {
    static FolderTree write(Path root, int folders) throws IOException {
        FolderTree tree = new FolderTree(new ArrayList<>(List.of(root)), new ArrayList<>());
        for (int i = 0; i < folders; i++) {
            Path a = Files.createDirectories(root.resolve("a" + i));
            Path b = Files.createDirectories(a.resolve("b"));
            tree.folders.addAll(List.of(a, b));
            tree.files.add(Files.writeString(a.resolve("x.txt"), "x"));
            tree.files.add(Files.writeString(b.resolve("y.txt"), "y"));
        }
        return tree;
    }
}
