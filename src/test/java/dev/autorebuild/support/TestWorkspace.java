package dev.autorebuild.support;

import dev.autorebuild.config.ConfigReader;
import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.config.BuildRecipe;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.content.ComponentContent;
import dev.autorebuild.fs.ComponentScanner;
import dev.autorebuild.fs.FileHasher;
import dev.autorebuild.fs.IgnoreLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

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

    /** A component whose container serves its folder over HTTP on port 80 (busybox httpd), with a page saying {@code page}. */
    public TestWorkspace httpComponent(String name, String page) throws IOException {
        return write(name + "/Dockerfile", HTTPD).write(name + "/index.html", page + "\n");
    }

    /**
     * A dab.yml that publishes {@code web} on {@code port} and live-syncs its {@code site/} folder into
     * {@code /www/site}, with a first page there saying v1.
     */
    public TestWorkspace webSyncingSite(int port) throws IOException {
        return write("web/site/index.html", "v1\n").write("dab.yml", """
                components:
                  web:
                    run:
                      ports: ["%d:80"]
                    watch-rules:
                      - path: site
                        action: sync
                        target: /www/site
                """.formatted(port));
    }

    private static final String RUN_ID = java.util.UUID.randomUUID().toString().substring(0, 8);
    private static final java.util.concurrent.atomic.AtomicInteger CALLS = new java.util.concurrent.atomic.AtomicInteger();

    /**
     * A shell comment to end a RUN line with, different at every call: BuildKit's cache outlives images
     * and test runs (it keys on the step's text and its inputs), so a step a test needs to see running
     * (a slow {@code sleep}) must never have been built before.
     */
    public static String uncached() {
        return " # test " + RUN_ID + "-" + CALLS.incrementAndGet();
    }

    public static final String HTTPD = "FROM busybox:stable\nCOPY . /www/\nCMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n";

    public TestWorkspace write(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        return this;
    }

    /** Writes through a temp file and a rename, so no reader ever sees the file half-written. */
    public TestWorkspace writeAtomically(String relative, String content) throws IOException {
        Path file = root.resolve(relative);
        Path temp = file.resolveSibling("." + file.getFileName() + ".partial");
        Files.writeString(temp, content);
        Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return this;
    }

    public String read(String relative) throws IOException {
        return Files.readString(root.resolve(relative));
    }

    /**
     * The files of {@code folder} on disk, relative to it, with their SHA-256 (the JDK's, not our
     * hasher), minus {@code leftOut}: what a build of that folder must put in the image when the test
     * writes out by hand which files its ignore rules leave out.
     */
    public Map<String, String> filesOf(String folder, java.util.Collection<String> leftOut) throws IOException {
        Path base = root.resolve(folder);
        Map<String, String> files = new TreeMap<>();
        try (var walk = Files.walk(base)) {
            for (Path file : walk.filter(Files::isRegularFile).toList()) {
                String relative = base.relativize(file).toString();
                if (!leftOut.contains(relative)) {
                    files.put(relative, sha256(Files.readAllBytes(file)));
                }
            }
        }
        return files;
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JDK has SHA-256
        }
    }

    /**
     * The content digest auto-rebuild must label the image of {@code component} with. It runs our own
     * reader, scanner and hasher, so it is only ever a second check: the first is what the image holds.
     */
    public String expectedDigest(String component) throws IOException {
        DabConfig config = ((ConfigReader.Loaded) ConfigReader.read(root, Optional.empty())).config();
        DabConfig.ComponentSettings settings = config.component(component, DockerName.sanitize(component));
        Map<String, String> args = new TreeMap<>(config.build().args());
        args.putAll(settings.args());
        ComponentContent content = new ComponentContent(BuildRecipe.of(settings, args));
        new ComponentScanner(new FileHasher()).scanAll(root, component, IgnoreLoader.load(root, List.of(component), config),
                content, warning -> {});
        return content.snapshot().digest();
    }
}
