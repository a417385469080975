package dev.autorebuild.engine;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent.RedeployFailed;
import dev.autorebuild.core.RebuildEvent.Redeployed;
import dev.autorebuild.core.RebuildEvent.Warning;
import dev.autorebuild.docker.DockerContainers;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A port-publishing component's redeploy on the real engine: the new container starts on the internal
 * staging network while the old one keeps its host ports and serves, and takes them only once ready.
 * A client polls the published port all through each redeploy, as a page with live reload does.
 */
class StagedRedeployDockerTest extends RealEngineTest {
    /** Starts its server two seconds late, as a real one takes time to boot: long enough to watch who serves meanwhile. */
    private static final String SLOW_HTTPD = "FROM busybox:stable\nCOPY . /www/\nCMD [\"sh\", \"-c\", \"sleep 2; exec httpd -f -p 80 -h /www\"]\n";

    private final ExecutorService pool = Executors.newCachedThreadPool();
    private int port;
    private Redeployer redeployer;
    private Component web;

    @AfterEach
    void stopPolling() {
        pool.shutdownNow();
    }

    private void deployFirst(String dockerfile, String readiness) throws Exception {
        deployFirst(dockerfile, readiness, "");
    }

    private void deployFirst(String dockerfile, String readiness, String moreRunKeys) throws Exception {
        port = DockerEngine.freePort();
        ws.httpComponent("web", "web v1").write("web/Dockerfile", dockerfile).write("dab.yml", """
                components:
                  web:
                    run:
                      ports: ["%d:80"]
                      readiness: %s
                      %s
                """.formatted(port, readiness, moreRunKeys));
        startAndAwaitBuilt("web");
        redeployer = new Redeployer(ws.root(), new DockerContainers(docker), new DockerImageBuilder(docker, contextWriters), events, rebuilder::config);
        web = rebuilder.components().stream().filter(c -> c.folder().equals("web")).findFirst().orElseThrow();
        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("web v1");
    }

    /** One answer of the polling client: what it got, and whether the new container was running on its own at that moment. */
    private record Answer(Optional<String> page, boolean newContainerRunning) {}

    /** Redeploys while a client polls the port; every answer it got, in order. */
    private List<Answer> redeployWhilePolling(String oldId) throws Exception {
        List<Answer> answers = new CopyOnWriteArrayList<>();
        AtomicBoolean done = new AtomicBoolean();
        Future<?> client = pool.submit(() -> {
            while (!done.get()) {
                boolean newRunning = newContainerRunning(oldId);
                answers.add(new Answer(DockerEngine.httpGet(port, "/index.html"), newRunning));
            }
            return null;
        });
        try {
            redeployer.redeploy(List.of(web));
        } finally {
            done.set(true);
            client.get();
        }
        return answers;
    }

    /** Saves "web v2", waits for its image, and redeploys it while a client polls; every answer, once the redeploy is said to be done. */
    private List<Answer> saveV2AndRedeployWhilePolling(String oldId) throws Exception {
        int mark = events.size();
        ws.write("web/index.html", "web v2\n");
        awaitBuilt(mark, "web");
        List<Answer> answers = redeployWhilePolling(oldId);
        events.awaitEvent(mark, Redeployed.class, e -> e.component().folder().equals("web"), BUILD);
        return answers;
    }

    /** Whether a container other than {@code oldId} runs under the component's name (the new one, staged). */
    private boolean newContainerRunning(String oldId) {
        try {
            var c = docker.inspectContainerCmd("shop-web").exec();
            return !c.getId().equals(oldId) && Boolean.TRUE.equals(c.getState().getRunning());
        } catch (NotFoundException e) {
            return false;
        }
    }

    private String startedAt(String id) {
        return docker.inspectContainerCmd(id).exec().getState().getStartedAt();
    }

    @Test
    void theOldContainerServesWhileTheNewOneStarts_thenTheNewOneHasThePortsOnItsOwnNetworkAlone() throws Exception {
        deployFirst(SLOW_HTTPD, "{http: /index.html}");
        String oldId = docker.inspectContainerCmd("shop-web").exec().getId();
        int mark = events.size();

        List<Answer> answers = saveV2AndRedeployWhilePolling(oldId);

        assertThat(answers).as("the old container answered while the new one was already running, starting its server")
                .anySatisfy(a -> {
                    assertThat(a.newContainerRunning()).isTrue();
                    assertThat(a.page()).contains("web v1");
                });
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("web v2");
        var now = docker.inspectContainerCmd("shop-web").exec();
        assertThat(now.getNetworkSettings().getNetworks().keySet()).as("its own network only: it left the staging network").containsExactly("bridge");
        assertThat(now.getNetworkSettings().getPorts().getBindings().values()).as("the host port is bound to the new container")
                .anySatisfy(b -> assertThat(b[0].getHostPortSpec()).isEqualTo(Integer.toString(port)));
        assertThatThrownBy(() -> docker.inspectContainerCmd(oldId).exec()).as("the old container is removed").isInstanceOf(NotFoundException.class);
        var staging = docker.inspectNetworkCmd().withNetworkId(DockerContainers.STAGING_NETWORK).exec();
        assertThat(staging.getInternal()).as("the staging network has no way out").isTrue();
        assertThat(staging.getContainers() == null ? java.util.Map.of() : staging.getContainers()).as("nothing stays on it").isEmpty();
        assertThat(events.since(mark, Warning.class)).isEmpty();
    }

    @Test
    void aNewContainerThatNeverGetsReady_neverStopsTheOldOne_andTheClientIsAnsweredByItAllAlong() throws Exception {
        deployFirst(dev.autorebuild.support.TestWorkspace.HTTPD, "{http: /index.html, timeout: 3s}");
        String oldId = docker.inspectContainerCmd("shop-web").exec().getId();
        String oldStart = startedAt(oldId);
        int mark = events.size();
        java.nio.file.Files.delete(ws.root().resolve("web/index.html")); // the next image lacks the page its probe asks for
        awaitBuilt(mark, "web");

        List<Answer> answers = redeployWhilePolling(oldId);

        RedeployFailed failed = events.awaitEvent(mark, RedeployFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.reason()).startsWith("the new container was not ready after 3 s").contains("the previous container kept serving")
                .endsWith("if it needs them to get ready, set components.web.run.staging: false)");
        assertThat(answers).as("polled all through the redeploy").hasSizeGreaterThan(10)
                .allSatisfy(a -> assertThat(a.page()).as("every answer came from the old container").contains("web v1"));
        assertThat(docker.inspectContainerCmd("shop-web").exec().getId()).isEqualTo(oldId);
        assertThat(startedAt(oldId)).as("the old container was never stopped").isEqualTo(oldStart);
        assertThat(docker.listContainersCmd().withShowAll(true).withLabelFilter(java.util.Map.of("dev.autorebuild.workspace", ws.root().toString()))
                .exec()).as("the new container is removed").hasSize(1);
    }

    @Test
    void aNewContainerThatNeedsItsNetworkToStart_isStartedThere_andIsNotStagedAgain() throws Exception {
        // exits unless it is on the engine's bridge, as a server that must reach a database there at start does
        String gateway = docker.inspectNetworkCmd().withNetworkId("bridge").exec().getIpam().getConfig().get(0).getGateway();
        String needsNetwork = "FROM busybox:stable\nCOPY . /www/\n"
                + "CMD [\"sh\", \"-c\", \"ip route | grep -q 'default via " + gateway + " ' || { echo not on the bridge; exit 4; }; "
                + "exec httpd -f -p 80 -h /www\"]\n";
        deployFirst(needsNetwork, "{http: /index.html}");
        int mark = events.size();
        ws.write("web/index.html", "web v2\n");
        awaitBuilt(mark, "web");

        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);

        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("web v2");
        assertThat(events.since(mark, Warning.class)).extracting(Warning::message).satisfiesExactly(
                first -> assertThat(first).startsWith("[web] the new container exited with code 4 on auto-rebuild's internal staging network"),
                second -> assertThat(second).startsWith("[web] it started on its own network: it needs that network to start"));

        mark = events.size();
        ws.write("web/index.html", "web v3\n");
        awaitBuilt(mark, "web");
        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("web v3");
        assertThat(events.since(mark, Warning.class)).as("started on its own network at once, not staged again").isEmpty();
    }

    @Test
    void withStagingFalse_theOldContainerStopsBeforeTheNewOneStarts() throws Exception {
        deployFirst(SLOW_HTTPD, "{http: /index.html}", "staging: false");

        List<Answer> answers = saveV2AndRedeployWhilePolling(docker.inspectContainerCmd("shop-web").exec().getId());

        assertThat(answers).as("the new container started while the old one answered no more").anySatisfy(a -> {
            assertThat(a.newContainerRunning()).isTrue();
            assertThat(a.page()).isEmpty();
        }).noneSatisfy(a -> {
            assertThat(a.newContainerRunning()).isTrue();
            assertThat(a.page()).contains("web v1");
        });
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("web v2");
    }

    @Test
    void aContainerLeftOnTheStagingNetworkByARedeployCutShort_isPending_andTheNextRedeployPutsTheComponentBack() throws Exception {
        deployFirst(dev.autorebuild.support.TestWorkspace.HTTPD, "{http: /index.html}");
        var serving = docker.inspectContainerCmd("shop-web").exec();
        // what a daemon that ended mid-swap leaves: the old container under its standby name, its successor
        // under the component's name on the staging network alone, not serving
        docker.renameContainerCmd(serving.getId()).withName("shop-web-previous").exec();
        var ports = new com.github.dockerjava.api.model.Ports();
        ports.bind(com.github.dockerjava.api.model.ExposedPort.tcp(80), com.github.dockerjava.api.model.Ports.Binding.bindIpAndPort("127.0.0.1", port));
        String cutShort = docker.createContainerCmd(serving.getConfig().getImage()).withName("shop-web").withLabels(serving.getConfig().getLabels())
                .withExposedPorts(com.github.dockerjava.api.model.ExposedPort.tcp(80))
                .withHostConfig(com.github.dockerjava.api.model.HostConfig.newHostConfig().withPortBindings(ports)
                        .withNetworkMode(DockerContainers.STAGING_NETWORK)).exec().getId();
        docker.startContainerCmd(cutShort).exec();

        ContainerState state = redeployer.state(web);
        assertThat(state.pending()).as("its image is current, yet it serves nobody").isTrue();
        assertThat(state.describe()).contains("on the staging network alone");

        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("web v1");
        var now = docker.inspectContainerCmd("shop-web").exec();
        assertThat(now.getNetworkSettings().getNetworks().keySet()).containsExactly("bridge");
        assertThat(redeployer.state(web).pending()).isFalse();
        assertThatThrownBy(() -> docker.inspectContainerCmd("shop-web-previous").exec()).isInstanceOf(NotFoundException.class);
        assertThatThrownBy(() -> docker.inspectContainerCmd(cutShort).exec()).isInstanceOf(NotFoundException.class);
    }

    @Test
    void aServerSlowToStop_doesNotHoldTheHostPorts_theNewOneServesWhileTheOldOneStops() throws Exception {
        // busybox httpd as PID 1 without the engine's init ignores SIGTERM: its stop waits out the whole timeout
        deployFirst(dev.autorebuild.support.TestWorkspace.HTTPD, "{http: /index.html}", "init: false\n      stop-timeout: 8s");
        String oldId = docker.inspectContainerCmd("shop-web").exec().getId();
        int mark = events.size();
        ws.write("web/index.html", "web v2\n");
        awaitBuilt(mark, "web");

        Future<Integer> redeploy = pool.submit(() -> redeployer.redeploy(List.of(web)));
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).pollInterval(java.time.Duration.ofMillis(20))
                .until(() -> DockerEngine.httpGet(port, "/index.html").equals(Optional.of("web v2")));
        assertThat(docker.inspectContainerCmd(oldId).exec().getState().getRunning()).as("the old container is still stopping").isTrue();

        assertThat(redeploy.get()).isEqualTo(1);
        assertThatThrownBy(() -> docker.inspectContainerCmd(oldId).exec()).as("then it is removed").isInstanceOf(NotFoundException.class);
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("web v2");
    }
}
