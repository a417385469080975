package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent.BuildFailed;
import dev.autorebuild.core.RebuildEvent.ComponentAdded;
import dev.autorebuild.core.RebuildEvent.ComponentRemoved;
import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The workspace changing shape under a running engine: renames, link loops, unusual file names. */
class WorkspaceShapeDockerTest extends RealEngineTest {

    @Test
    void aRenamedComponentFolder_isTheOldOneGone_andANewOneDiscoveredAndBuilt() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        Files.move(ws.root().resolve("web"), ws.root().resolve("site"));

        events.awaitEvent(mark, ComponentRemoved.class, e -> e.component().folder().equals("web"), BUILD);
        events.awaitEvent(mark, ComponentAdded.class, e -> e.component().folder().equals("site"), BUILD);
        awaitBuilt(mark, "site");
        assertThat(rebuilder.components()).extracting(c -> c.folder()).containsExactly("site");
    }

    @Test
    void aDockerignoreThatDockerWouldRefuse_failsTheBuildWithItsLine_andOnceFixedBuilds() throws Exception {
        ws.component("web").write("web/.dockerignore", "*.log\n!\n");
        start();

        BuildFailed failed = events.awaitEvent(0, BuildFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.message()).startsWith("web/.dockerignore:2:1: a lone '!' re-includes nothing, and Docker refuses the whole file");
        int mark = events.size();
        ws.write("web/.dockerignore", "*.log\n").write("web/debug.log", "left out\n");
        leftOut.put("web", Set.of("debug.log"));

        awaitBuilt(mark, "web");
    }

    @Test
    void aSymlinkLoop_neitherHangsNorBreaksTheBuild() throws Exception {
        ws.component("web");
        Files.createDirectories(ws.root().resolve("web/a"));
        Files.createSymbolicLink(ws.root().resolve("web/a/loop"), Path.of(".."));
        Files.createSymbolicLink(ws.root().resolve("web/self"), Path.of("self"));
        startAndAwaitBuilt("web");
        int mark = events.size();

        ws.write("web/index.html", "after the loop\n");

        awaitBuilt(mark, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html")).isEqualTo("after the loop");
    }

    @Test
    void fileNamesWithSpacesNewlinesAndUnicode_areWatchedHashedAndSent() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        ws.write("web/my notes/Ünïcødé 文件.txt", "unicode\n").write("web/two\nlines.txt", "newline\n");

        awaitBuilt(mark, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat '/app/my notes/Ünïcødé 文件.txt' /app/two?lines.txt")).isEqualTo("unicode\nnewline");
    }

    @Test
    void foldersWhoseNamesSanitiseAlike_areReported_andOnlyOneIsBuilt() throws Exception {
        ws.component("My App").component("my-app");
        start();
        awaitBuilt(0, "My App");
        assertThat(events.all(dev.autorebuild.core.RebuildEvent.Warning.class)).extracting(w -> w.message())
                .contains("components 'My App' and 'my-app' would both build shop-my-app:latest; 'my-app' is left out: "
                        + "rename one folder, or set components.my-app.image in dab.yml");
        assertThat(rebuilder.components()).extracting(c -> c.folder()).containsExactly("My App");
    }

    @Test
    void aFileThatVanishesBeforeItIsHashed_buildsNothing_andWarnsOfNothing() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        for (int i = 0; i < 50; i++) {
            Path brief = ws.root().resolve("web/brief-" + i + ".txt");
            Files.writeString(brief, "here for a moment\n");
            Files.delete(brief);
        }
        awaitJudged(mark, "web", "index.html");

        assertThat(buildsStarted(mark, "web")).isZero();
        assertThat(events.since(mark, dev.autorebuild.core.RebuildEvent.Warning.class)).isEmpty();
    }

    @Test
    void twoCheckoutsWithTheSameFolderName_neverOverwriteEachOthersImage_andTheFixTheyAreToldWorks() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        String ours = imageId("web");
        dev.autorebuild.support.TestWorkspace other = new dev.autorebuild.support.TestWorkspace(
                java.nio.file.Files.createDirectories(dir.resolve("elsewhere/shop")));
        other.component("web").write("web/index.html", "the other checkout\n");
        dev.autorebuild.support.EventRecorder otherEvents = new dev.autorebuild.support.EventRecorder();
        try (Rebuilder second = new Rebuilder(other.root(), new dev.autorebuild.config.FileConfigSource(other.root(), java.util.Optional.empty(),
                dev.autorebuild.config.FileConfigSource.Overrides.NONE), new dev.autorebuild.docker.DockerImageBuilder(docker, contextWriters), otherEvents)) {
            second.start();
            var refused = otherEvents.awaitEvent(0, dev.autorebuild.core.RebuildEvent.BuildFailed.class, e -> true, BUILD);
            assertThat(refused.message()).startsWith("shop-web:latest is the image of another workspace (" + ws.root() + ")")
                    .contains("name: elsewhere-shop in dab.yml", "components.web.image (e.g. elsewhere-shop-web:latest)");
            assertThat(imageId("web")).as("the first checkout's image is untouched").isEqualTo(ours);

            other.write("dab.yml", "name: elsewhere-shop\n"); // the fix the message names first: the workspace's own name
            var built = otherEvents.awaitEvent(0, dev.autorebuild.core.RebuildEvent.BuildSucceeded.class, e -> true, BUILD);
            assertThat(built.component().image()).isEqualTo("elsewhere-shop-web:latest");
            assertThat(docker.inspectImageCmd("elsewhere-shop-web:latest").exec().getConfig().getLabels())
                    .containsEntry(dev.autorebuild.core.Labels.WORKSPACE, other.root().toString());
            assertThat(imageId("web")).isEqualTo(ours);
        } finally {
            DockerEngine.removeImagesOf(other.root());
        }
    }
}
