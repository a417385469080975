package dev.autorebuild.engine;

import java.util.Optional;
import dev.autorebuild.core.Component;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.RebuildEvent.BuildFailed;
import dev.autorebuild.core.RebuildEvent.BuildSucceeded;
import dev.autorebuild.core.RebuildEvent.NoContentChange;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The watch → rebuild loop on real files and the real Docker engine. */
class RebuilderDockerTest extends RealEngineTest {
    @Test
    void savedChange_rebuildsExactlyThatComponent() throws Exception {
        ws.component("web").component("api");
        startAndAwaitBuilt("web", "api");
        String webBefore = imageId("web");
        String apiBefore = imageId("api");
        int mark = events.size();

        ws.write("web/index.html", "changed\n");

        BuildSucceeded built = awaitBuilt(mark, "web");
        assertThat(imageId("web")).isNotEqualTo(webBefore).isEqualTo(built.imageId());
        assertThat(imageId("api")).isEqualTo(apiBefore);
        assertThat(buildsStarted(mark, "api")).isZero();
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html")).isEqualTo("changed");
        var labels = docker.inspectImageCmd("shop-web:latest").exec().getConfig().getLabels();
        assertThat(labels).containsEntry("dev.autorebuild.component", "web")
                .containsEntry("dev.autorebuild.workspace", ws.root().toString())
                .containsEntry("dev.autorebuild.digest", built.digest());
    }

    @Test
    void firstLooksHeldUntilTheDaemonAnswers_countInFlightMeanwhile_andNothingWrittenMeanwhileIsMissed() throws Exception {
        ws.component("web");
        java.util.concurrent.CompletableFuture<Void> answering = new java.util.concurrent.CompletableFuture<>();
        rebuilder = new Rebuilder(ws.root(), new FileConfigSource(ws.root(), Optional.empty(), FileConfigSource.Overrides.NONE),
                new DockerImageBuilder(docker, contextWriters, dev.autorebuild.docker.DockerClients.environmentAddress()), events);
        rebuilder.start(answering);
        Component web = rebuilder.components().stream().filter(c -> c.folder().equals("web")).findFirst().orElseThrow();

        ws.write("web/index.html", "written while the first look waits\n");
        org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(500)).atMost(java.time.Duration.ofSeconds(2))
                .alias("no first look, so no build, while held; the component busy (a redeploy would wait)")
                .until(() -> buildsStarted(0, "web") == 0 && rebuilder.busy(web));

        answering.complete(null);
        awaitBuilt(0, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html")).isEqualTo("written while the first look waits");
        org.awaitility.Awaitility.await().atMost(BUILD).until(() -> !rebuilder.busy(web));
    }

    @Test
    void aRebuild_removesTheImageItReplaced_whenNoContainerUsesIt() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        String first = imageId("web");
        int mark = events.size();

        ws.write("web/index.html", "second\n");
        awaitBuilt(mark, "web");

        assertThat(imageId("web")).isNotEqualTo(first);
        org.awaitility.Awaitility.await().atMost(BUILD).alias("the replaced image removed (after the build, off its path)")
                .until(() -> docker.listImagesCmd().withShowAll(true).exec().stream().noneMatch(i -> i.getId().equals(first)));
    }

    @Test
    void byteIdenticalRewrite_buildsNothing() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        String before = imageId("web");
        int mark = events.size();

        for (int i = 0; i < 20; i++) {
            ws.write("web/index.html", "hello from web\n");
        }
        events.awaitEvent(mark, NoContentChange.class, e -> e.component().folder().equals("web"), BUILD);

        assertThat(buildsStarted(mark, "web")).isZero();
        assertThat(imageId("web")).isEqualTo(before);
    }

    @Test
    void realChangeFollowedByNoOpWriteInTheSameWindow_stillBuilds() throws Exception {
        ws.component("web").write("web/other.txt", "same\n");
        startAndAwaitBuilt("web");
        int mark = events.size();

        ws.write("web/index.html", "real change\n");
        ws.write("web/other.txt", "same\n");

        awaitBuilt(mark, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html")).isEqualTo("real change");
    }

    @Test
    void ignoredFiles_buildNothing() throws Exception {
        ws.component("web")
                .write(".dabignore", "*.log\n")
                .write("web/.dockerignore", "*.md\n");
        startAndAwaitBuilt("web");
        int mark = events.size();

        ws.write("web/debug.log", "dabignored\n")
                .write("web/NOTES.md", "dockerignored\n")
                .write("web/.index.html.swp", "editor noise\n")
                .write("web/index.html~", "editor backup\n");
        awaitJudged(mark, "web", "index.html");

        assertThat(buildsStarted(mark, "web")).isZero();
    }

    @Test
    void burstOfAThousandWrites_givesOneBuild() throws Exception {
        // the maximum wait bounds a build's delay under a steady stream, and a pause longer than the quiet period
        // ends a burst: neither may split this one on a slow machine (a clean-clone CI run on a busy 2-core
        // machine once built twice with the default 50 ms, the writing thread descheduled for longer than that)
        ws.write("dab.yml", "debounce:\n  quiet-period: 1s\n  max-wait: 60s\n").component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        for (int i = 0; i < 1000; i++) {
            ws.write("web/index.html", "version " + i + "\n");
        }

        awaitBuilt(mark, "web");
        assertThat(buildsStarted(mark, "web")).isEqualTo(1);
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html")).isEqualTo("version 999");
    }

    @Test
    void fiveThousandFilesInOneFolder_allReachTheImage() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        Path data = Files.createDirectories(ws.root().resolve("web/data"));
        long writing = System.nanoTime();
        for (int i = 0; i < 5000; i++) {
            Files.writeString(data.resolve("file-" + i + ".txt"), "content " + i + "\n");
        }
        long wroteForMillis = (System.nanoTime() - writing) / 1_000_000;

        awaitBuilt(mark, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "ls /app/data | wc -l")).isEqualTo("5000");
        // not a storm: a write that goes on builds at the latest every max-wait (2 s), so a slow disk or a
        // loaded machine may see one build per 2 s of writing, plus the last one and an overflow's rescan
        long allowed = 3 + wroteForMillis / 2000;
        assertThat(buildsStarted(mark, "web")).as("builds for 5,000 files written in %d ms", wroteForMillis).isBetween(1L, allowed);
    }

    @Test
    void newComponentFolder_isDiscoveredAndBuilt() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        ws.component("late");

        events.awaitEvent(mark, RebuildEvent.ComponentAdded.class, e -> e.component().folder().equals("late"), BUILD);
        awaitBuilt(mark, "late");
        assertThat(DockerEngine.runIn("shop-late:latest", "cat /app/index.html")).isEqualTo("hello from late");
    }

    @Test
    void folderLosingItsDockerfile_stopsBeingAComponent() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        Files.delete(ws.root().resolve("web/Dockerfile"));

        events.awaitEvent(mark, RebuildEvent.ComponentRemoved.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(rebuilder.components()).isEmpty();
    }

    @Test
    void brokenDockerfile_reportsTheFailingStep_andKeepsTheOldImage() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        String before = imageId("web");
        int mark = events.size();

        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN echo broken >&2 && exit 3\n");

        BuildFailed failed = events.awaitEvent(mark, BuildFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.step()).hasValueSatisfying(step -> assertThat(step).contains("RUN echo broken >&2 && exit 3"));
        assertThat(failed.message()).contains("exit code: 3");
        // the step's stderr, as BuildKit numbers it; builders may paint it with terminal escapes: the lines carry the text alone
        assertThat(events.since(mark, dev.autorebuild.core.RebuildEvent.BuildOutput.class)).extracting(o -> o.line())
                .anyMatch(line -> line.matches("#\\d+ broken")).noneMatch(line -> line.contains("\u001b"));
        assertThat(imageId("web")).isEqualTo(before);

        int retry = events.size();
        ws.write("web/Dockerfile", TestWorkspace.COPY_ALL + "RUN true\n");
        awaitBuilt(retry, "web");
        assertThat(imageId("web")).isNotEqualTo(before);
    }

    @Test
    void restart_doesNotRebuildCurrentImages_butRebuildsWhatChangedWhileDown() throws Exception {
        ws.component("web").component("api");
        startAndAwaitBuilt("web", "api");
        rebuilder.close();
        ws.write("api/index.html", "changed while down\n");
        int mark = events.size();

        start();

        events.awaitEvent(mark, RebuildEvent.UpToDate.class, e -> e.component().folder().equals("web"), BUILD);
        awaitBuilt(mark, "api");
        assertThat(buildsStarted(mark, "web")).isZero();
    }
}
