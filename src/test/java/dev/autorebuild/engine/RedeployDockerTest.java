package dev.autorebuild.engine;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent.RedeployFailed;
import dev.autorebuild.core.RebuildEvent.Redeployed;
import dev.autorebuild.docker.DockerContainers;
import dev.autorebuild.docker.DockerImageBuilder;
import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Health-gated redeploys on the real engine: busybox httpd components published on 127.0.0.1. */
class RedeployDockerTest extends RealEngineTest {
    private int webPort;
    private int apiPort;
    private Redeployer redeployer;
    private String foreign;

    private void startTwoHttpComponents(String webReadiness) throws Exception {
        webPort = DockerEngine.freePort();
        apiPort = DockerEngine.freePort();
        ws.httpComponent("web", "web v1").httpComponent("api", "api v1").write("dab.yml", """
                components:
                  web:
                    run:
                      ports: ["%d:80"]
                      %s
                  api:
                    run:
                      ports: ["%d:80"]
                      env: {GREETING: hello from env}
                      command: echo "$GREETING" > /www/env.txt && exec httpd -f -p 80 -h /www
                      volumes: ["./data:/www/data:ro"]
                """.formatted(webPort, webReadiness, apiPort));
        ws.write("api/data/shared.txt", "from the host\n");
        startAndAwaitBuilt("web", "api");
        redeployer = new Redeployer(ws.root(), new DockerContainers(docker), new DockerImageBuilder(docker, contextWriters), events,
                rebuilder::config);
    }

    @AfterEach
    void removeForeign() {
        if (foreign != null) {
            docker.removeContainerCmd(foreign).withForce(true).exec();
        }
    }

    private List<String> pending() {
        return redeployer.pending(rebuilder.components()).stream().map(Component::folder).toList();
    }

    private String containerId(String name) {
        return docker.inspectContainerCmd(name).exec().getId();
    }

    @Test
    void aRebuiltImage_isPendingUntilRedeployed_thenServed_andOnlyPendingContainersAreReplaced() throws Exception {
        startTwoHttpComponents("readiness: {http: /index.html}");
        assertThat(pending()).as("no containers yet: both are created on the first redeploy").containsExactly("api", "web");
        assertThat(redeployer.redeploy(redeployer.pending(rebuilder.components()))).isEqualTo(2);
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).contains("web v1");
        assertThat(DockerEngine.httpGet(apiPort, "/index.html")).contains("api v1");
        assertThat(DockerEngine.httpGet(apiPort, "/env.txt")).as("env and command from dab.yml").contains("hello from env");
        assertThat(DockerEngine.httpGet(apiPort, "/data/shared.txt")).as("a host folder, relative to the component").contains("from the host");
        String apiBefore = containerId("shop-api");
        assertThat(pending()).isEmpty();

        int mark = events.size();
        ws.write("web/index.html", "web v2\n");
        awaitBuilt(mark, "web");
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).as("nothing is redeployed without asking").contains("web v1");
        assertThat(pending()).containsExactly("web");

        assertThat(redeployer.redeploy(redeployer.pending(rebuilder.components()))).isEqualTo(1);
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).contains("web v2");
        assertThat(containerId("shop-api")).as("the other component's container is untouched").isEqualTo(apiBefore);
        assertThat(events.since(mark, Redeployed.class)).extracting(e -> e.component().folder()).containsExactly("web");
        assertThat(docker.inspectContainerCmd("shop-web").exec().getConfig().getLabels())
                .containsEntry("dev.autorebuild.workspace", ws.root().toString())
                .containsEntry("dev.autorebuild.component", "web")
                .containsEntry("dev.autorebuild.digest", ws.expectedDigest("web"));
        assertThat(docker.inspectContainerCmd("shop-web").exec().getHostConfig().getPortBindings().getBindings().values())
                .allSatisfy(bindings -> assertThat(bindings[0].getHostIp()).isEqualTo("127.0.0.1"));
    }

    @Test
    void aNewImageThatExitsAtOnce_leavesTheOldContainerServing_andReportsItsOutput() throws Exception {
        startTwoHttpComponents("");
        redeployer.redeploy(redeployer.pending(rebuilder.components()));
        String webBefore = containerId("shop-web");
        int mark = events.size();

        ws.write("web/Dockerfile", "FROM busybox:stable\nCMD [\"sh\", \"-c\", \"echo cannot start: no config; exit 3\"]\n");
        awaitBuilt(mark, "web");
        assertThat(redeployer.redeploy(redeployer.pending(rebuilder.components()))).isZero();

        RedeployFailed failed = events.awaitEvent(mark, RedeployFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.reason()).isEqualTo("the new container exited with code 3; the previous container is back in service");
        assertThat(failed.logTail()).contains("cannot start: no config");
        assertThat(containerId("shop-web")).isEqualTo(webBefore);
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).contains("web v1");
        assertThatThrownBy(() -> docker.inspectContainerCmd("shop-web-previous").exec()).isInstanceOf(NotFoundException.class);
        assertThat(pending()).as("still pending: its image is newer than what runs").containsExactly("web");
    }

    @Test
    void anImageWhoseCommandCannotStart_leavesTheOldContainerServingUnderItsName_neverStopped() throws Exception {
        startTwoHttpComponents("init: false"); // with the engine's init, the init starts and the missing command exits 127 instead
        redeployer.redeploy(redeployer.pending(rebuilder.components()));
        String webBefore = containerId("shop-web");
        String startedBefore = docker.inspectContainerCmd(webBefore).exec().getState().getStartedAt();
        int mark = events.size();

        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /www/\nCMD [\"/nonexistent\"]\n"); // the engine refuses to start it
        awaitBuilt(mark, "web");
        assertThat(redeployer.redeploy(redeployer.pending(rebuilder.components()))).isZero();

        RedeployFailed failed = events.awaitEvent(mark, RedeployFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.reason()).startsWith("the new container did not start: ").contains("/nonexistent")
                .endsWith("; the previous container kept serving"); // the new one was to start on the staging network
        assertThat(containerId("shop-web")).isEqualTo(webBefore);
        assertThat(docker.inspectContainerCmd(webBefore).exec().getState().getStartedAt()).isEqualTo(startedBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> DockerEngine.httpGet(webPort, "/index.html").equals(java.util.Optional.of("web v1")));
        assertThatThrownBy(() -> docker.inspectContainerCmd("shop-web-previous").exec()).isInstanceOf(NotFoundException.class);
        assertThat(pending()).containsExactly("web");
    }

    @Test
    void aHostPortHeldByAnotherProcess_failsTheDeploy_leavesNothingBehind_andTheNextOneWorks() throws Exception {
        startTwoHttpComponents("");
        Component web = rebuilder.components().stream().filter(c -> c.folder().equals("web")).findFirst().orElseThrow();
        try (var held = new java.net.ServerSocket(webPort, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            assertThat(redeployer.redeploy(List.of(web))).isZero();
            RedeployFailed failed = events.awaitEvent(0, RedeployFailed.class, e -> e.component().folder().equals("web"), BUILD);
            assertThat(failed.reason()).startsWith("the new container did not start: ").contains(Integer.toString(webPort));
            assertThatThrownBy(() -> docker.inspectContainerCmd("shop-web").exec()).isInstanceOf(NotFoundException.class);
        }
        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).contains("web v1");
    }

    @Test
    void anUnhealthyNewContainer_isRolledBack() throws Exception {
        startTwoHttpComponents("");
        redeployer.redeploy(redeployer.pending(rebuilder.components()));
        String webBefore = containerId("shop-web");
        int mark = events.size();

        ws.write("web/Dockerfile", TestHttpd.UNHEALTHY);
        awaitBuilt(mark, "web");
        redeployer.redeploy(redeployer.pending(rebuilder.components()));

        RedeployFailed failed = events.awaitEvent(mark, RedeployFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.reason()).startsWith("the new container's HEALTHCHECK reports unhealthy");
        assertThat(containerId("shop-web")).isEqualTo(webBefore);
        await().atMost(Duration.ofSeconds(5)).until(() -> DockerEngine.httpGet(webPort, "/index.html").equals(java.util.Optional.of("web v1")));
    }

    @Test
    void aForeignContainerWithTheSameName_isLeftAlone() throws Exception {
        startTwoHttpComponents("");
        foreign = docker.createContainerCmd("busybox:stable").withName("shop-web").withCmd("sleep", "600").exec().getId();

        redeployer.redeploy(List.of(rebuilder.components().stream().filter(c -> c.folder().equals("web")).findFirst().orElseThrow()));

        RedeployFailed failed = events.awaitEvent(0, RedeployFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.reason()).startsWith("a container named shop-web exists that auto-rebuild did not create for " + ws.root());
        assertThat(containerId("shop-web")).isEqualTo(foreign);
        assertThat(docker.inspectContainerCmd(foreign).exec().getConfig().getLabels()).doesNotContainKey("dev.autorebuild.workspace");
    }

    @Test
    void aForeignContainerUnderTheStandbyName_failsTheSwap_andBothContainersAreLeftAsTheyWere() throws Exception {
        startTwoHttpComponents("");
        Component web = rebuilder.components().stream().filter(c -> c.folder().equals("web")).findFirst().orElseThrow();
        redeployer.redeploy(List.of(web));
        String webBefore = containerId("shop-web");
        foreign = docker.createContainerCmd("busybox:stable").withName("shop-web-previous").withCmd("sleep", "600").exec().getId();
        docker.startContainerCmd(foreign).exec();
        int mark = events.size();
        ws.write("web/index.html", "web v2\n");
        awaitBuilt(mark, "web");

        assertThat(redeployer.redeploy(List.of(web))).isZero();

        RedeployFailed failed = events.awaitEvent(mark, RedeployFailed.class, e -> e.component().folder().equals("web"), BUILD);
        assertThat(failed.reason()).isEqualTo("a container named shop-web-previous exists that auto-rebuild did not create; it is left alone");
        assertThat(containerId("shop-web")).isEqualTo(webBefore);
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).contains("web v1");
        assertThat(containerId("shop-web-previous")).isEqualTo(foreign);
        assertThat(docker.inspectContainerCmd(foreign).exec().getState().getRunning()).isTrue();
    }

    @Test
    void containersRunWithTheEnginesInit_soAServerThatIgnoresSigtermAsPid1_endsOnSigterm_unlessTurnedOff() throws Exception {
        startTwoHttpComponents("init: true");
        int mark = events.size();
        ws.write("dab.yml", rebuilderConfigWithApiInitOff());
        events.awaitEvent(mark, dev.autorebuild.core.RebuildEvent.ConfigReloaded.class, e -> e.changes().contains("init"), BUILD);
        redeployer.redeploy(redeployer.pending(rebuilder.components()));
        assertThat(docker.inspectContainerCmd("shop-web").exec().getHostConfig().getInit()).isTrue();
        assertThat(docker.inspectContainerCmd("shop-api").exec().getHostConfig().getInit()).isFalse();

        // busybox httpd as PID 1 ignores SIGTERM (exit 137 after the timeout); behind the init it dies of it (143)
        DockerEngine.cli("stop", "-t", "20", "shop-web");
        assertThat(docker.inspectContainerCmd("shop-web").exec().getState().getExitCodeLong()).isEqualTo(143L);
    }

    /** The same workspace's dab.yml with the api component's init turned off. */
    private String rebuilderConfigWithApiInitOff() throws java.io.IOException {
        return ws.read("dab.yml").replace("      env: {GREETING: hello from env}", "      env: {GREETING: hello from env}\n      init: false");
    }

    @Test
    void networkRestartPolicyAndATcpProbe_comeFromDabYml() throws Exception {
        String network = "dab-test-" + Long.toHexString(System.nanoTime());
        docker.createNetworkCmd().withName(network).exec();
        try {
            int port = DockerEngine.freePort();
            ws.httpComponent("web", "on its own network").write("dab.yml", """
                    components:
                      web:
                        run:
                          ports: ["%d:80"]
                          network: %s
                          restart: unless-stopped
                          readiness: {tcp: 80, timeout: 20s}
                    """.formatted(port, network));
            startAndAwaitBuilt("web");
            redeployer = new Redeployer(ws.root(), new DockerContainers(docker), new DockerImageBuilder(docker, contextWriters), events,
                    rebuilder::config);

            assertThat(redeployer.redeploy(redeployer.pending(rebuilder.components()))).isEqualTo(1);

            var container = docker.inspectContainerCmd("shop-web").exec();
            assertThat(container.getHostConfig().getNetworkMode()).isEqualTo(network);
            assertThat(container.getHostConfig().getRestartPolicy().getName()).isEqualTo("unless-stopped");
            assertThat(DockerEngine.httpGet(port, "/index.html")).contains("on its own network");
        } finally {
            DockerEngine.removeContainersOf(ws.root());
            docker.removeNetworkCmd(network).exec();
        }
    }

    @Test
    void anImageWithAHealthcheck_isReadyOnlyOnceHealthy() throws Exception {
        int port = DockerEngine.freePort();
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /www/\n"
                        + "HEALTHCHECK --interval=1s --timeout=1s --retries=3 CMD wget -q -O /dev/null http://127.0.0.1/index.html\n"
                        + "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n")
                .write("web/index.html", "healthy\n")
                .write("dab.yml", "components:\n  web: {run: {ports: [\"%d:80\"]}}\n".formatted(port));
        startAndAwaitBuilt("web");
        redeployer = new Redeployer(ws.root(), new DockerContainers(docker), new DockerImageBuilder(docker, contextWriters), events,
                rebuilder::config);

        assertThat(redeployer.redeploy(redeployer.pending(rebuilder.components()))).isEqualTo(1);

        assertThat(docker.inspectContainerCmd("shop-web").exec().getState().getHealth().getStatus())
                .as("the redeploy waited for the HEALTHCHECK").isEqualTo("healthy");
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("healthy");
    }

    /** Dockerfiles for the failure cases. */
    static final class TestHttpd {
        /** Serves, but its HEALTHCHECK fails at once: Docker marks it unhealthy after one retry. */
        static final String UNHEALTHY = "FROM busybox:stable\nCOPY . /www/\n"
                + "HEALTHCHECK --interval=1s --timeout=1s --retries=1 CMD false\n"
                + "CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n";

        private TestHttpd() {}
    }
}
