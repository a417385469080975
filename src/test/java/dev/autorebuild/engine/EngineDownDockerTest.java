package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent.BuildFailed;
import dev.autorebuild.core.RebuildEvent.BuildStarted;
import dev.autorebuild.core.RebuildEvent.BuildWaiting;
import dev.autorebuild.core.RebuildEvent.EngineBack;
import dev.autorebuild.core.RebuildEvent.EngineDown;
import dev.autorebuild.core.RebuildEvent.UpToDate;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.DockerProxy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The container engine going away and coming back, for the daemon: it talks to the real engine
 * through a proxy the test closes (engine down) and opens again (engine back).
 */
class EngineDownDockerTest extends RealEngineTest {
    private final DockerProxy proxy = new DockerProxy();

    EngineDownDockerTest() throws java.io.IOException {
    }

    @AfterEach
    void closeProxy() throws Exception {
        proxy.close();
    }

    @Test
    void anImageTheEngineCannotDescribe_isAnEngineError_neverNoImage() throws Exception {
        try (var client = dev.autorebuild.docker.DockerClients.forHost(proxy.host())) {
            var images = new dev.autorebuild.docker.DockerImageBuilder(client, contextWriters, proxy.host());

            // closed: "no image" here would start a needless build, or make a redeploy find nothing pending
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> images.labelsOf("busybox:stable"))
                    .isInstanceOf(EngineException.class).hasMessageContaining("cannot inspect the image busybox:stable");
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> images.imageId("busybox:stable")).isInstanceOf(EngineException.class);

            proxy.up();
            assertThat(images.labelsOf("auto-rebuild-test-no-such-image:never")).isEmpty();
            assertThat(images.imageId("busybox:stable")).isPresent();
        }
    }

    @Test
    void anEngineDownAtStart_isReported_changesAccumulate_andEverythingIsBuiltWhenItAnswers() throws Exception {
        ws.component("web");
        start(proxy.host()); // the proxy is closed: nothing answers
        EngineDown down = events.awaitEvent(0, EngineDown.class, e -> true, BUILD);
        assertThat(down.nextTry()).isEqualTo(Duration.ofSeconds(1));
        assertThat(down.reason()).isEqualTo(proxy.host() + ": connection refused");
        ws.write("web/index.html", "written while the engine was down\n");
        ws.write("web/more.txt", "and this\n");
        events.awaitEvent(0, BuildWaiting.class, e -> e.component().folder().equals("web"), BUILD); // held, not failing build after build
        assertThat(events.all(BuildFailed.class)).as("an engine that does not answer is no failed build").isEmpty();
        assertThat(events.all(EngineDown.class)).as("said once").hasSize(1);

        int mark = events.size();
        proxy.up();
        events.awaitEvent(mark, EngineBack.class, e -> true, Duration.ofSeconds(40));
        awaitBuilt(mark, "web");
        assertThat(buildsStarted(mark, "web")).isEqualTo(1);
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html /app/more.txt"))
                .isEqualTo("written while the engine was down\nand this");
    }

    @Test
    void anEngineRestartedDuringABuild_holdsThatBuild_andBuildsItWhenTheEngineIsBack() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN sleep 2" + dev.autorebuild.support.TestWorkspace.uncached() + "\n").write("web/index.html", "v1\n");
        proxy.up();
        start(proxy.host());
        events.awaitEvent(0, BuildStarted.class, e -> true, BUILD);
        await("the RUN step to start", () -> events.all().toString().contains("RUN sleep 2"));

        proxy.down(); // the engine "restarts": the build's connection is cut
        events.awaitEvent(0, EngineDown.class, e -> true, BUILD);
        events.awaitEvent(0, BuildWaiting.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(events.all(BuildFailed.class)).as("the build waits for the engine: it did not fail").isEmpty();
        int mark = events.size();
        proxy.up();

        events.awaitEvent(mark, EngineBack.class, e -> true, Duration.ofSeconds(40));
        awaitBuilt(mark, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/index.html")).isEqualTo("v1");
    }

    @Test
    void anImageThatWasCurrentAllAlong_isNotRebuilt_whenTheEngineComesBack() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        rebuilder.close();
        start(proxy.host()); // a restart while the engine is away
        events.awaitEvent(0, EngineDown.class, e -> true, BUILD);
        int mark = events.size();
        proxy.up();
        events.awaitEvent(mark, UpToDate.class, e -> e.component().folder().equals("web"), Duration.ofSeconds(40));
        assertThat(buildsStarted(mark, "web")).isZero();
    }

    private static void await(String what, java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().alias(what).atMost(BUILD).until(condition);
    }
}
