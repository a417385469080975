package dev.autorebuild.engine;

import com.github.dockerjava.api.DockerClient;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.RebuildEvent.BuildStarted;
import dev.autorebuild.core.RebuildEvent.BuildSucceeded;
import dev.autorebuild.core.RebuildEvent.NoContentChange;
import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.EventRecorder;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;


/**
 * The engine on real files and the real Docker engine, for tests: a workspace named {@code shop},
 * an event recorder to wait on, and images removed by label afterwards.
 */
abstract class RealEngineTest {
    static final Duration BUILD = Duration.ofSeconds(60);

    @TempDir
    Path dir;
    TestWorkspace ws;
    DockerClient docker;
    final ExecutorService contextWriters = Executors.newCachedThreadPool();
    final EventRecorder events = new EventRecorder();
    Rebuilder rebuilder;

    @BeforeEach
    void setUp() throws IOException {
        docker = DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("shop")));
    }

    @AfterEach
    void tearDown() {
        if (rebuilder != null) {
            rebuilder.close();
        }
        contextWriters.shutdownNow();
        DockerEngine.removeContainersOf(ws.root());
        DockerEngine.removeImagesOf(ws.root());
    }

    void start() throws IOException {
        start(docker, dev.autorebuild.docker.DockerClients.environmentAddress());
    }

    /** Starts the engine talking to the container engine at {@code address} (e.g. a proxy a test can cut). */
    void start(String address) throws IOException {
        start(dev.autorebuild.docker.DockerClients.forHost(address), address);
    }

    private void start(DockerClient client, String address) throws IOException {
        rebuilder = new Rebuilder(ws.root(), new FileConfigSource(ws.root(), Optional.empty(), FileConfigSource.Overrides.NONE),
                new DockerImageBuilder(client, contextWriters, address), events);
        rebuilder.start();
    }

    /** Starts the engine and waits until every named component has its first image. */
    void startAndAwaitBuilt(String... components) throws IOException {
        start();
        for (String c : components) {
            awaitBuilt(0, c);
        }
    }

    /**
     * Waits for a build of {@code component}, after {@code mark}, whose image holds exactly the files the
     * component's folder holds now, minus those the test wrote out in {@link #leftOut}. The image is read
     * inside the image (see {@link DockerEngine#filesIn}), and its digest label must be that of those files too.
     * A Dockerfile that does not copy its whole context to one folder cannot be read that way, and is
     * waited for by its digest (such tests check what their image holds themselves).
     */
    BuildSucceeded awaitBuilt(int mark, String component) throws IOException {
        Optional<String> copiedTo = contextFolderInImage(component);
        if (copiedTo.isEmpty()) {
            String digest = ws.expectedDigest(component);
            return events.awaitEvent(mark, BuildSucceeded.class, e -> e.component().folder().equals(component) && e.digest().equals(digest), BUILD);
        }
        Set<String> without = leftOut.getOrDefault(component, Set.of());
        BuildSucceeded built;
        try {
            // both: an image can hold every file yet carry the digest of the snapshot its build started from (a BuildKit
            // session reads the files when the engine asks, which may be after more were written); the daemon knows
            // that snapshot is stale and builds again, and that later image is the one that must carry the right label
            built = events.awaitEvent(mark, BuildSucceeded.class, e -> e.component().folder().equals(component)
                    && imageFiles(e.imageId(), copiedTo.get()).equals(fixtureFiles(component, without))
                    && e.digest().equals(expectedDigest(component)), BUILD);
        } catch (AssertionError e) {
            List<BuildSucceeded> builds = events.since(mark, BuildSucceeded.class).stream().filter(b -> b.component().folder().equals(component)).toList();
            throw new AssertionError("no image of " + component + " holds its files as they are now (minus " + without + ");\n  the folder: "
                    + ws.filesOf(component, without).keySet() + "\n  the last image: "
                    + (builds.isEmpty() ? "none built" : imageFiles(builds.get(builds.size() - 1).imageId(), copiedTo.get()).keySet()), e);
        }
        return built;
    }

    private String expectedDigest(String component) {
        try {
            return ws.expectedDigest(component);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Files a test's ignore rules leave out of a component's image, written out by hand in the test: component → path in its folder. */
    final Map<String, Set<String>> leftOut = new HashMap<>();
    private final Map<String, Map<String, String>> imageFilesById = new ConcurrentHashMap<>();

    /** The image's files; none when the image is gone (a newer build replaced it, so it is not the one awaited). */
    private Map<String, String> imageFiles(String imageId, String folder) {
        Map<String, String> known = imageFilesById.get(imageId + folder);
        if (known != null) {
            return known;
        }
        try {
            Map<String, String> files = DockerEngine.filesIn(imageId, folder);
            imageFilesById.put(imageId + folder, files);
            return files;
        } catch (IOException | AssertionError e) {
            return Map.of();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of();
        }
    }

    private Map<String, String> fixtureFiles(String component, Set<String> without) {
        try {
            return ws.filesOf(component, without);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a file deleted mid-walk: the next poll sees the folder settled
        }
    }

    /** Where the component's Dockerfile copies its whole context ({@code COPY . /app/}), if that is all it copies. */
    private Optional<String> contextFolderInImage(String component) throws IOException {
        Path dockerfile = ws.root().resolve(component).resolve("Dockerfile");
        Path config = ws.root().resolve("dab.yml");
        if (!Files.isRegularFile(dockerfile) || Files.exists(config) && Files.readString(config).matches("(?s).*\\b(context|dockerfile|target)\\b.*")) {
            return Optional.empty(); // dab.yml moves the context or the Dockerfile, or builds a stage
        }
        String text = Files.readString(dockerfile);
        java.util.regex.Matcher copy = COPY_ALL.matcher(text);
        if (!copy.find() || text.split("(?m)^(COPY|ADD) ", -1).length != 2) {
            return Optional.empty();
        }
        return Optional.of(copy.group(1));
    }

    private static final java.util.regex.Pattern COPY_ALL = java.util.regex.Pattern.compile("(?m)^COPY \\. (/[^\\s]*?)/?$");

    String imageId(String component) {
        return docker.inspectImageCmd("shop-" + component + ":latest").exec().getId();
    }

    long buildsStarted(int mark, String component) {
        return events.since(mark, BuildStarted.class).stream().filter(e -> e.component().folder().equals(component)).count();
    }

    /** A byte-identical rewrite is a marker: once its no-change verdict is in, everything written before it was judged. */
    void awaitJudged(int mark, String component, String markerFile) throws IOException {
        ws.write(component + "/" + markerFile, ws.read(component + "/" + markerFile));
        events.awaitEvent(mark, NoContentChange.class, e -> e.component().folder().equals(component), BUILD);
    }

}
