package dev.autorebuild.support;

import dev.autorebuild.core.content.ComponentContent;
import dev.autorebuild.fs.ComponentScanner;
import dev.autorebuild.fs.FileHasher;
import dev.autorebuild.fs.IgnoreLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real workspace folder for a test, with helpers to make components and write files. */
public final class TestWorkspace {
    public static final String COPY_ALL = "FROM busybox:stable\nCOPY . /app/\n";

    private final Path root;

    public TestWorkspace(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public TestWorkspace component(String name) throws IOException {
        return write(name + "/Dockerfile", COPY_ALL).write(name + "/index.html", "hello from " + name + "\n");
    }

    public TestWorkspace write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    public String read(String relative) throws IOException {
        return Files.readString(root.resolve(relative));
    }

    /** The content digest auto-rebuild must label the image of {@code component} with, computed independently of the engine. */
    public String expectedDigest(String component) throws IOException {
        ComponentContent content = new ComponentContent();
        new ComponentScanner(new FileHasher()).scan(root.resolve(component), component, "",
                IgnoreLoader.load(root, List.of(component)), content, warning -> {});
        return content.snapshot().digest();
    }
}
