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
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

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

    BuildSucceeded awaitBuilt(int mark, String component) throws IOException {
        String digest = ws.expectedDigest(component);
        return events.awaitEvent(mark, BuildSucceeded.class,
                e -> e.component().folder().equals(component) && e.digest().equals(digest), BUILD);
    }

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
