package dev.autorebuild.bench;

import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.engine.Rebuilder;
import dev.autorebuild.support.DockerEngine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** auto-rebuild's engine in this process, on the real engine, with every event timed. */
final class InProcessEngine implements AutoCloseable {
    static final Duration BUILD = Duration.ofMinutes(5);

    final Path workspace;
    final TimedEvents events = new TimedEvents();
    final Rebuilder rebuilder;
    private final ExecutorService contextWriters = Executors.newCachedThreadPool();

    InProcessEngine(Path workspace, FileConfigSource.Overrides overrides) throws IOException {
        this.workspace = workspace;
        rebuilder = new Rebuilder(workspace, new FileConfigSource(workspace, Optional.empty(), overrides),
                new DockerImageBuilder(DockerEngine.client(), contextWriters), events);
        rebuilder.start();
    }

    static InProcessEngine withQuietPeriod(Path workspace, Duration quiet) throws IOException {
        return new InProcessEngine(workspace, new FileConfigSource.Overrides(Optional.of(quiet), Optional.of(quiet.multipliedBy(10)),
                Optional.empty(), Optional.empty()));
    }

    /** Waits until every component has been primed: built, or found up to date. */
    InProcessEngine awaitSettled(String... components) {
        for (String c : components) {
            events.await(0, RebuildEvent.class, e -> (e instanceof RebuildEvent.BuildSucceeded b && b.component().folder().equals(c))
                    || (e instanceof RebuildEvent.UpToDate u && u.component().folder().equals(c)), BUILD);
        }
        return this;
    }

    long builds(int mark, String component) {
        return events.since(mark, RebuildEvent.BuildStarted.class).stream().filter(e -> e.component().folder().equals(component)).count();
    }

    @Override
    public void close() {
        rebuilder.close();
        contextWriters.shutdownNow();
        DockerEngine.removeContainersOf(workspace);
        DockerEngine.removeImagesOf(workspace);
    }
}
