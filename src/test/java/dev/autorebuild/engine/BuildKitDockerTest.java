package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent.BuildFailed;
import dev.autorebuild.core.RebuildEvent.BuildOutput;
import dev.autorebuild.core.RebuildEvent.BuildStarted;
import dev.autorebuild.core.RebuildEvent.BuildSucceeded;
import dev.autorebuild.core.RebuildEvent.BuilderFallback;
import dev.autorebuild.core.build.Builder;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.DockerProxy;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Builds on the engine's BuildKit, and the choice between it and the classic builder, on the real
 * engine (Debian's 20.10, which offers BuildKit through {@code version=2}).
 */
class BuildKitDockerTest extends RealEngineTest {

    @Test
    void aCacheMount_builds_andTheNextBuildSeesWhatTheLastOneLeftInIt() throws Exception {
        String cacheId = "dab-test-" + UUID.randomUUID(); // a cache of its own: other runs' leftovers stay out
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY version /version\n"
                + "RUN --mount=type=cache,id=" + cacheId + ",target=/cache sh -c 'cat /cache/log > /before 2>/dev/null; cat /version >> /cache/log'\n")
                .write("web/version", "v1\n");
        startAndAwaitBuilt("web");
        assertThat(events.all(BuildStarted.class)).extracting(BuildStarted::builder).containsExactly(Builder.BUILDKIT);
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /before")).isEmpty();

        int mark = events.size();
        ws.write("web/version", "v2\n");
        awaitBuilt(mark, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /before")).isEqualTo("v1");
    }

    @Test
    void copyWithChmod_aFlagOnlyBuildKitKnows_builds() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY --chmod=750 run.sh /run.sh\n").write("web/run.sh", "echo hi\n");
        startAndAwaitBuilt("web");
        assertThat(DockerEngine.runIn("shop-web:latest", "stat -c %a /run.sh")).isEqualTo("750");
    }

    @Test
    void ourLabels_areImageMetadata_notStepsInItsHistory() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        var labels = docker.inspectImageCmd("shop-web:latest").exec().getConfig().getLabels();
        assertThat(labels).containsEntry("dev.autorebuild.component", "web")
                .containsEntry("dev.autorebuild.workspace", ws.root().toString())
                .containsKey("dev.autorebuild.digest");
        assertThat(history("shop-web:latest")).isNotEmpty().noneMatch(step -> step.contains("LABEL"));
        assertThat(output("web")).anyMatch(line -> line.matches("#\\d+ \\[2/2\\] COPY \\. /app/"));
    }

    @Test
    void aFailingRunStep_isNamed_withItsErrorAndItsOutput() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN echo about to fail && exit 3\n");
        start();
        BuildFailed failed = events.awaitEvent(0, BuildFailed.class, e -> true, BUILD);
        assertThat(failed.step()).contains("[3/3] RUN echo about to fail && exit 3");
        assertThat(failed.message()).contains("exit code: 3");
        assertThat(output("web")).anyMatch(line -> line.matches("#\\d+ about to fail"));
    }

    @Test
    void secretsNamedInDabYml_reachTheStep_fromAFileAndFromTheEnvironment_andNeverTheImage() throws Exception {
        String home = System.getenv("HOME"); // a variable every test JVM has: the daemon's environment is the source
        ws.write("token.txt", "s3cret\n") // outside the component: never in its context
                .write("dab.yml", "build:\n  secrets:\n    token: {file: token.txt}\n    home: {env: HOME}\n")
                .write("web/Dockerfile", "FROM busybox:stable\n"
                        + "RUN --mount=type=secret,id=token --mount=type=secret,id=home sh -c "
                        + "'cat /run/secrets/token | sha256sum > /token.sum; cat /run/secrets/home | sha256sum > /home.sum'"
                        + " # " + TestWorkspace.uncached() + "\n");
        startAndAwaitBuilt("web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /token.sum; cat /home.sum; ls /run/secrets 2>&1 | wc -l"))
                .isEqualTo(sha256("s3cret\n") + "  -\n" + sha256(home) + "  -\n0");
    }

    @Test
    void aRequiredSecretDabYmlDoesNotName_getsOneClearError_andTheDaemonBuildsOnceItIsNamed() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nRUN --mount=type=secret,id=token,required=true cat /run/secrets/token\n");
        start();
        BuildFailed failed = events.awaitEvent(0, BuildFailed.class, e -> true, BUILD);
        assertThat(failed.message())
                .isEqualTo("web/Dockerfile:2:5: the secret 'token' is required, and dab.yml gives none;"
                        + " add build.secrets.token to dab.yml, with file: PATH or env: VARIABLE");

        int mark = events.size();
        ws.write("token.txt", "t\n").write("dab.yml", "build:\n  secrets:\n    token: {file: token.txt}\n");
        awaitBuilt(mark, "web");
    }

    @Test
    void aSecretFileThatIsMissing_failsTheBuildNamingTheFileAndTheKey() throws Exception {
        ws.write("dab.yml", "build:\n  secrets:\n    token: {file: no-such-token.txt}\n")
                .write("web/Dockerfile", "FROM busybox:stable\nRUN --mount=type=secret,id=token cat /run/secrets/token # "
                        + TestWorkspace.uncached() + "\n");
        start();
        BuildFailed failed = events.awaitEvent(0, BuildFailed.class, e -> true, BUILD);
        assertThat(failed.message()).contains("secret token (file: " + ws.root().resolve("no-such-token.txt") + " in dab.yml): no such file");
    }

    @Test
    void anSshMount_getsOneClearError_beforeTheEngineIsAsked() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nRUN --mount=type=ssh ls\n");
        start();
        BuildFailed failed = events.awaitEvent(0, BuildFailed.class, e -> true, BUILD);
        assertThat(failed.message()).startsWith("web/Dockerfile:2:5: RUN --mount=type=ssh needs an SSH agent").doesNotContain("\n");
        assertThat(output("web")).isEmpty();
    }

    private static String sha256(String text) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    @Test
    void aSyntaxLineWhoseFrontendCannotBeFetched_isExplainedWithItsLine() throws Exception {
        // a name under .invalid resolves nowhere: the engine can never fetch it, with or without a registry
        ws.write("web/Dockerfile", "# syntax=auto-rebuild.invalid/no-such-frontend:1\nFROM busybox:stable\nCOPY . /app/\n");
        start();
        BuildFailed failed = events.awaitEvent(0, BuildFailed.class, e -> true, BUILD);
        assertThat(failed.message())
                .startsWith("web/Dockerfile:1: the '# syntax=auto-rebuild.invalid/no-such-frontend:1' frontend is not on this engine"
                        + " and could not be fetched (")
                .contains("docker pull auto-rebuild.invalid/no-such-frontend:1", "remove the line");
    }

    @Test
    void classic_canBeForced_andStillBuilds() throws Exception {
        ws.write("dab.yml", "build:\n  builder: classic\n").component("web");
        startAndAwaitBuilt("web");
        assertThat(events.all(BuildStarted.class)).extracting(BuildStarted::builder).containsExactly(Builder.CLASSIC);
        assertThat(events.all(BuilderFallback.class)).isEmpty();
        assertThat(output("web")).contains("Step 2/5 : COPY . /app/");
        assertThat(history("shop-web:latest")).anyMatch(step -> step.contains("LABEL")); // the cost BuildKit does not have
    }

    @Test
    void auto_fallsBackToClassic_whenTheEngineRefusesBuildKit_sayingWhyOnce() throws Exception {
        ws.component("web").component("api");
        try (DockerProxy proxy = new DockerProxy()) {
            proxy.refuseBuildKit();
            proxy.up();
            start(proxy.host());
            awaitBuilt(0, "web");
            awaitBuilt(0, "api");
            assertThat(events.all(BuildStarted.class)).extracting(BuildStarted::builder).containsOnly(Builder.CLASSIC).hasSize(2);
            assertThat(events.all(BuilderFallback.class)).singleElement().extracting(BuilderFallback::reason).asString()
                    .contains("HTTP 400", "buildkit not supported by daemon");

            int mark = events.size();
            ws.write("web/index.html", "again\n");
            awaitBuilt(mark, "web");
            assertThat(proxy.buildKitRefusals()).as("the engine is asked once, not at every build").isEqualTo(1);
        }
    }

    @Test
    void stoppingMidBuild_cancelsTheBuildOnTheEngine() throws Exception {
        String marker = "sleep " + (4000 + (int) (Math.random() * 999)); // a process only this test starts
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN " + marker + "\n").write("web/index.html", "x\n");
        start();
        await().alias("the RUN step's process runs on the engine").atMost(BUILD).until(() -> running(marker));

        rebuilder.close(Duration.ZERO);
        assertThat(events.awaitEvent(0, BuildFailed.class, e -> true, BUILD).message()).isEqualTo("build cancelled");
        await().alias("nothing of the build runs on the engine any more").atMost(Duration.ofSeconds(20)).until(() -> !running(marker));
    }

    @Test
    void aNewerChangeDuringABuild_cancelsIt_andTheNewestFilesAreBuiltAtOnce() throws Exception {
        String marker = "sleep " + (5000 + (int) (Math.random() * 999));
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN if [ -f /app/slow ]; then " + marker + "; fi\n")
                .write("web/index.html", "v1\n").write("web/slow", "the first build sleeps\n");
        start();
        await().alias("the first build's slow step runs on the engine").atMost(BUILD).until(() -> running(marker));

        java.nio.file.Files.delete(ws.root().resolve("web/slow"));
        ws.write("web/index.html", "v2\n");

        BuildSucceeded built = awaitBuilt(0, "web");
        assertThat(events.all(dev.autorebuild.core.RebuildEvent.BuildCancelled.class)).singleElement()
                .satisfies(c -> assertThat(c.reason()).contains("newer changes"));
        assertThat(events.all(BuildStarted.class)).hasSize(2);
        assertThat(events.all(BuildSucceeded.class)).containsExactly(built);
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html; ls /app")).isEqualTo("v2\nDockerfile\nindex.html");
        await().alias("the cancelled build's step is gone from the engine").atMost(Duration.ofSeconds(20)).until(() -> !running(marker));
    }

    @Test
    void noCache_runsEveryStepAgain() throws Exception {
        ws.write("dab.yml", "build:\n  no-cache: true\n")
                .write("web/Dockerfile", "FROM busybox:stable\nRUN echo ran-the-step\nCOPY . /app/\n").write("web/index.html", "1\n");
        startAndAwaitBuilt("web");
        int mark = events.size();
        ws.write("web/index.html", "2\n");
        awaitBuilt(mark, "web");
        List<String> second = events.since(mark, BuildOutput.class).stream().map(BuildOutput::line).toList();
        assertThat(second).as("the RUN step ran again, though nothing before it changed").anyMatch(line -> line.matches("#\\d+ ran-the-step"));
    }

    /** Each layer's instruction, as {@code docker history} shows it. */
    private static List<String> history(String image) throws Exception {
        return DockerEngine.cli("history", "--no-trunc", "--format", "{{.CreatedBy}}", image).lines().toList();
    }

    private List<String> output(String component) {
        return events.all(BuildOutput.class).stream().filter(o -> o.component().folder().equals(component)).map(BuildOutput::line).toList();
    }

    /**
     * Whether a process whose command line (as the kernel has it) holds {@code text} runs on this machine:
     * a build's RUN step runs here too, in its own namespaces.
     */
    private static boolean running(String text) throws java.io.IOException {
        try (var procs = java.nio.file.Files.list(java.nio.file.Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+")).anyMatch(p -> {
                try {
                    return new String(java.nio.file.Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                            .replace('\0', ' ').contains(text);
                } catch (java.io.IOException | RuntimeException gone) {
                    return false; // ended while we looked
                }
            });
        }
    }
}
