package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent.BuildStarted;
import dev.autorebuild.core.RebuildEvent.BuildSucceeded;
import dev.autorebuild.core.RebuildEvent.ConfigRejected;
import dev.autorebuild.core.RebuildEvent.ConfigReloaded;
import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** dab.yml driving the engine, on real files and the real Docker engine, edited while it runs. */
class ConfiguredRebuilderDockerTest extends RealEngineTest {
    /** The promise: a saved dab.yml is in force within a second (quiet period 50 ms + reading it). */
    private static final Duration RELOAD = Duration.ofSeconds(1);

    @Test
    void anEditedBlacklist_appliesWithoutRestart_andAnInvalidEditKeepsIt() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        int mark = events.size();

        ws.write("dab.yml", "blacklist: [\"web/*.tmp\"]\n");
        ConfigReloaded reloaded = events.awaitEvent(mark, ConfigReloaded.class, e -> true, RELOAD);
        assertThat(reloaded.changes()).isEqualTo("blacklist: (unset) -> [web/*.tmp]");
        assertBlacklistHolds();

        int beforeInvalid = events.size();
        ws.write("dab.yml", "blacklist: [\"web/*.tmp\"]\ndebounce:\n  quiet-period: soon\n");
        ConfigRejected rejected = events.awaitEvent(beforeInvalid, ConfigRejected.class, e -> true, RELOAD);
        assertThat(rejected.problems()).isEqualTo(ws.root().resolve("dab.yml")
                + ":3:3: 'soon' is not a duration; write e.g. 500ms, 2s, 10m or 1h30m");
        assertBlacklistHolds();
    }

    /**
     * A blacklisted file triggers nothing: the next build, caused by another file, counts one changed
     * file. The edit is atomic because the reload's rescan may be reading the folder right now, and a
     * half-written file seen by it would rightly cost a second build.
     */
    private void assertBlacklistHolds() throws Exception {
        int mark = events.size();
        ws.write("web/scratch.tmp", "noise " + mark + "\n");
        ws.writeAtomically("web/index.html", "edit " + mark + "\n");
        events.awaitEvent(mark, BuildSucceeded.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(events.since(mark, BuildStarted.class)).extracting(BuildStarted::changedFiles).containsExactly(1);
    }

    @Test
    void aWhitelist_letsOnlyListedPathsTrigger() throws Exception {
        ws.component("web").write("web/src/app.js", "v1\n").write("dab.yml", "whitelist: [web/src/]\n");
        startAndAwaitBuilt("web");
        int mark = events.size();

        ws.write("web/index.html", "not listed\n");
        ws.write("web/src/app.js", "v2\n");

        BuildSucceeded built = awaitBuilt(mark, "web");
        assertThat(events.since(mark, BuildStarted.class)).extracting(BuildStarted::changedFiles).containsExactly(1);
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/src/app.js")).isEqualTo("v2");
        assertThat(built.digest()).isEqualTo(ws.expectedDigest("web"));
    }

    @Test
    void aComponentWithItsOwnDockerfileContextArgsTargetAndImage_isBuiltThatWay_andRebuiltWhenASharedFolderChanges() throws Exception {
        ws.write("shared/lib.txt", "lib v1\n")
                .write("api/docker/Dockerfile.dev", """
                        FROM busybox:stable AS base
                        ARG GREETING
                        COPY shared/ /shared/
                        RUN echo "$GREETING" > /greeting
                        FROM base AS dev
                        RUN echo dev > /stage
                        FROM base AS prod
                        RUN echo prod > /stage
                        """)
                .write("dab.yml", """
                        build:
                          args: {GREETING: hi}
                        components:
                          api:
                            image: shop/api-dev:test
                            dockerfile: docker/Dockerfile.dev
                            context: ..
                            target: dev
                        """);
        startAndAwaitBuilt("api");
        assertThat(DockerEngine.runIn("shop/api-dev:test", "cat /greeting /stage /shared/lib.txt")).isEqualTo("hi\ndev\nlib v1");
        int mark = events.size();

        ws.write("shared/lib.txt", "lib v2\n");
        awaitBuilt(mark, "api");
        assertThat(DockerEngine.runIn("shop/api-dev:test", "cat /shared/lib.txt")).isEqualTo("lib v2");

        int beforeArgs = events.size();
        ws.write("dab.yml", ws.read("dab.yml").replace("GREETING: hi", "GREETING: hello"));
        events.awaitEvent(beforeArgs, ConfigReloaded.class, e -> e.changes().contains("build.args: {GREETING=hi} -> {GREETING=hello}"), RELOAD);
        awaitBuilt(beforeArgs, "api");
        assertThat(DockerEngine.runIn("shop/api-dev:test", "cat /greeting")).as("new build args mean a new build").isEqualTo("hello");
    }

    @Test
    void extraWatchedPaths_rebuildTheComponent_andDisabledComponentsAreNotBuilt() throws Exception {
        ws.component("web").component("legacy").write("docs/guide.md", "v1\n").write("dab.yml", """
                components:
                  web: {watch: [../docs]}
                  legacy: {enabled: false}
                """);
        startAndAwaitBuilt("web");
        assertThat(rebuilder.components()).extracting(c -> c.folder()).containsExactly("web");
        int mark = events.size();

        ws.write("docs/guide.md", "v2\n");

        awaitBuilt(mark, "web");
        assertThat(events.all(BuildStarted.class)).noneMatch(e -> e.component().folder().equals("legacy"));
    }

    @Test
    void aDockerignoreSavedWhileRunning_appliesAtOnce_andADockerfileSpecificOneWins() throws Exception {
        ws.write("web/Dockerfile.dev", "FROM busybox:stable\nCOPY . /app/\n")
                .write("web/Dockerfile.dev.dockerignore", "*.log\n")
                .write("web/.dockerignore", "*.txt\n")
                .write("web/index.html", "v1\n")
                .write("web/x.log", "left out\n")
                .write("web/notes.txt", "sent\n")
                .write("dab.yml", "components:\n  web: {dockerfile: Dockerfile.dev}\n");
        startAndAwaitBuilt("web");
        assertThat(DockerEngine.runIn("shop-web:latest", "ls /app")).as("the Dockerfile-specific ignore file decides")
                .contains("notes.txt", "index.html").doesNotContain("x.log");
        int mark = events.size();

        ws.write("web/Dockerfile.dev.dockerignore", "*.log\n*.md\n"); // saved while running: rules reload, and it is a build input
        awaitBuilt(mark, "web");
        int afterRules = events.size();
        ws.write("web/NOTES.md", "now ignored\n");
        ws.write("web/index.html", "v2\n");
        awaitBuilt(afterRules, "web");
        assertThat(events.since(afterRules, BuildStarted.class)).extracting(BuildStarted::changedFiles).containsExactly(1);
        assertThat(DockerEngine.runIn("shop-web:latest", "ls /app")).doesNotContain("NOTES.md");
    }

    @Test
    void withPolling_changesAreSeenWithoutInotify_creationsEditsAndDeletions() throws Exception {
        ws.component("web").write("web/old.txt", "to be deleted\n").write("dab.yml", "watch: {poll: true, poll-interval: 200ms}\n");
        startAndAwaitBuilt("web");

        int edit = events.size();
        ws.write("web/index.html", "seen by polling\n").write("web/sub/new.txt", "created\n");
        awaitBuilt(edit, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html /app/sub/new.txt")).isEqualTo("seen by polling\ncreated");

        int delete = events.size();
        java.nio.file.Files.delete(ws.root().resolve("web/old.txt"));
        awaitBuilt(delete, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "ls /app")).doesNotContain("old.txt");
    }
}
