package dev.autorebuild.cli;

import dev.autorebuild.support.Dashboard;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.HeadlessChromium;
import dev.autorebuild.support.LocalRegistry;
import dev.autorebuild.support.LocalSwarm;
import dev.autorebuild.support.PackagedApp;
import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

/**
 * {@code deployment.target: swarm} on a real single-node swarm, with a real registry ({@code docker-registry})
 * on 127.0.0.1: the service is created and answers, each change is pushed and rolled out by digest, a bad
 * image is rolled back by Swarm while the old task keeps answering, and a push that fails leaves the
 * running service alone. The swarm is left afterwards, and nothing of it remains.
 */
class SwarmIT extends DaemonProcessTest {
    /** A page server whose HEALTHCHECK gates every new task: Swarm counts a task as started only once it is healthy. */
    private static final String HEALTHY_HTTPD = """
            FROM busybox:stable
            COPY index.html /www/index.html
            HEALTHCHECK --interval=1s --timeout=1s --retries=2 CMD wget -q -O /dev/null http://127.0.0.1/index.html || exit 1
            CMD ["httpd", "-f", "-p", "80", "-h", "/www"]
            """;

    private static LocalSwarm swarm;
    private LocalRegistry registry;

    @BeforeAll
    static void swarm() throws Exception {
        swarm = LocalSwarm.join();
    }

    @AfterAll
    static void leaveTheSwarm() throws Exception {
        swarm.close();
        if (swarm.ours()) {
            assertThat(LocalSwarm.state()).as("the swarm the test started is left").isEqualTo("inactive");
            assertThat(DockerEngine.cli("network", "ls", "--format", "{{.Name}}").lines())
                    .as("nothing of the swarm remains").doesNotContain("ingress", "docker_gwbridge");
        }
    }

    @BeforeEach
    void registry() throws Exception {
        registry = LocalRegistry.start(dir.resolve("registry"));
    }

    @AfterEach
    void removeServices() throws Exception {
        reaper.afterEach(null); // the daemon first: a redeploy in flight could create a service after the clean-up
        LocalSwarm.removeServicesOf(ws.root());
        registry.close();
        await().atMost(Duration.ofSeconds(30)).alias("the services' task containers are gone")
                .until(() -> DockerEngine.cli("ps", "-aq", "--filter", "label=com.docker.swarm.service.name=demo_web").isBlank());
    }

    @Test
    void aComponentBecomesAService_andEachChangeRollsOutByDigestFromTheRegistry() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("web", "v1");
        startAndDeploy("ports: [\"" + port + ":80\"]");
        await().atMost(Duration.ofSeconds(30)).until(() -> DockerEngine.httpGet(port, "/index.html").equals(Optional.of("v1")));
        String first = serviceImage();
        assertRunsWhatTheRegistryHolds(first);
        assertThat(app.run(ws.root(), "-s", "status").out()).contains("service:   demo_web, 1/1 running", "image " + first);
        Dashboard d = Dashboard.of(ws.root());
        RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token()).get("/api/components").then().statusCode(200)
                .body("find { it.name == 'web' }.service.name", equalTo("demo_web"))
                .body("find { it.name == 'web' }.service.running", equalTo(1))
                .body("find { it.name == 'web' }.service.desired", equalTo(1))
                .body("find { it.name == 'web' }.service.image", equalTo(first))
                .body("find { it.name == 'web' }.container.state", equalTo("running"))
                .body("find { it.name == 'web' }.pendingRedeploy", equalTo(false));
        org.openqa.selenium.WebDriver browser = HeadlessChromium.start(dir);
        try {
            browser.get(d.url());
            HeadlessChromium.awaitText(browser, org.openqa.selenium.By.cssSelector("tr[data-component='web'] [data-service='demo_web']"),
                    text -> text.equals("service: 1/1 running"));
        } finally {
            browser.quit();
        }

        ws.write("web/index.html", "v2\n");
        awaitLog("[web] built demo-web:latest", 2);
        redeploy(0);
        assertThat(DockerEngine.httpGet(port, "/index.html")).as("the update completed before the redeploy answered").contains("v2");
        String second = serviceImage();
        assertThat(second).isNotEqualTo(first);
        assertRunsWhatTheRegistryHolds(second);
        assertThat(DockerEngine.cli("service", "inspect", "demo_web", "--format", "{{.UpdateStatus.State}}")).isEqualTo("completed");

        registry.stop(); // the registry goes away: the next push fails
        ws.write("web/index.html", "v3\n");
        awaitLog("[web] built demo-web:latest", 3);
        redeploy(1);
        assertThat(logText()).contains("[web] redeploy FAILED: the push to " + registry.address() + " failed: ", "the running service is untouched");
        assertThat(serviceImage()).isEqualTo(second);
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("v2");
    }

    @Test
    void aBadImageIsRolledBackBySwarm_andTheOldTaskKeepsAnswering() throws Exception {
        ws.write("web/Dockerfile", HEALTHY_HTTPD).write("web/index.html", "v1\n");
        startAndDeploy("");
        String task = DockerEngine.cli("ps", "-q", "--no-trunc", "--filter", "label=com.docker.swarm.service.name=demo_web");
        String address = DockerEngine.cli("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}", task);
        assertThat(get(address)).contains("v1");
        String good = serviceImage();

        // a new image whose server exits at once
        ws.write("web/Dockerfile", HEALTHY_HTTPD.replace("CMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]",
                "CMD [\"sh\", \"-c\", \"echo cannot read /etc/app.conf >&2; exit 3\"]"));
        awaitLog("[web] built demo-web:latest", 2);
        redeploy(1);
        assertThat(logText()).contains("[web] redeploy FAILED: Swarm rolled the update back (a new task failed: task: non-zero exit (3))",
                "the previous version keeps serving", "cannot read /etc/app.conf");
        assertTheOldTaskServes(task, address, good);

        // a new image whose HEALTHCHECK never passes
        ws.write("web/Dockerfile", HEALTHY_HTTPD.replace("CMD wget -q -O /dev/null http://127.0.0.1/index.html || exit 1", "CMD exit 1"));
        awaitLog("[web] built demo-web:latest", 3);
        redeploy(1);
        assertThat(logText().split("Swarm rolled the update back", -1)).as("a second rollback is reported").hasSize(3);
        assertTheOldTaskServes(task, address, good);
        String status = app.run(ws.root(), "-s", "status").out();
        assertThat(status).contains("update rollback completed", "redeploy PENDING");
    }

    @Test
    void withoutARegistry_aOneNodeSwarmRunsTheImageUnderALocalTagOfItsOwn() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("web", "v1").write("dab.yml", """
                deployment:
                  target: swarm
                components:
                  web:
                    run:
                      ports: ["%d:80"]
                      update: {monitor: 2s}
                """.formatted(port));
        assertThat(app.run(dir, "-t", ws.root().toString()).exitCode()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        redeploy(0);
        String first = "demo-web:dab-" + contentTag();
        assertThat(serviceImage()).isEqualTo(first);
        await().atMost(Duration.ofSeconds(30)).until(() -> DockerEngine.httpGet(port, "/index.html").equals(Optional.of("v1")));

        for (String page : java.util.List.of("v2", "v3")) {
            ws.write("web/index.html", page + "\n");
            awaitLog("[web] built demo-web:latest", page.equals("v2") ? 2 : 3);
            redeploy(0);
            assertThat(DockerEngine.httpGet(port, "/index.html")).contains(page);
            assertThat(serviceImage()).isEqualTo("demo-web:dab-" + contentTag());
        }
        assertThat(DockerEngine.cli("image", "ls", "demo-web", "--format", "{{.Tag}}").lines().sorted())
                .as("our local tags are pruned to the one the service runs and the one it ran before; latest stays")
                .containsExactlyInAnyOrder("latest", "dab-" + contentTag(), serviceImageBefore());
    }

    @Test
    void aComposeServicesDeployReplicas_runAsThatManyTasks() throws Exception {
        ws.httpComponent("web", "v1").write("compose.yaml", """
                services:
                  web:
                    build: ./web
                    deploy:
                      replicas: 2
                      update_config: {monitor: 2s}
                """).write("dab.yml", "deployment:\n  target: swarm\n  registry: " + registry.address() + "\n");
        assertThat(app.run(dir, "-t", ws.root().toString()).exitCode()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        redeploy(0);
        assertThat(DockerEngine.cli("service", "inspect", "demo_web", "--format", "{{.Spec.Mode.Replicated.Replicas}}")).isEqualTo("2");
        assertThat(DockerEngine.cli("ps", "-q", "--filter", "label=com.docker.swarm.service.name=demo_web").lines()).hasSize(2);
        assertThat(app.run(ws.root(), "-s", "status").out()).contains("service:   demo_web, 2/2 running");
        assertThat(logText()).contains("[web] its Compose network demo_default is a local one, which a Swarm service cannot join");
    }

    @Test
    void aRegistryThatAsksForALogin_getsTheOneDockerLoginStored() throws Exception {
        registry.close();
        String login = "dev:" + java.util.UUID.randomUUID();
        registry = LocalRegistry.start(dir.resolve("private-registry"), Optional.of(login));
        java.nio.file.Path dockerConfig = java.nio.file.Files.createDirectories(dir.resolve("docker-config"));
        ws.httpComponent("web", "v1");
        writeConfig("");
        PackagedApp.Result start = app.runWith(java.util.Map.of("DOCKER_CONFIG", dockerConfig.toString()), dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);

        redeploy(1); // no login stored yet
        assertThat(logText()).contains("[web] redeploy FAILED: the push to " + registry.address() + " failed: ");
        assertThat(DockerEngine.cli("service", "ls", "-q", "--filter", "name=demo_web")).as("no service without its image").isBlank();

        // what docker login writes, read at the next push
        java.nio.file.Files.writeString(dockerConfig.resolve("config.json"), "{\"auths\": {\"" + registry.address() + "\": {\"auth\": \""
                + java.util.Base64.getEncoder().encodeToString(login.getBytes(StandardCharsets.UTF_8)) + "\"}}}\n");
        redeploy(0);
        assertRunsWhatTheRegistryHolds(serviceImage());
    }

    private void assertTheOldTaskServes(String task, String address, String image) throws Exception {
        assertThat(DockerEngine.cli("inspect", "-f", "{{.State.Running}}", task)).as("the task that served before the update still runs").isEqualTo("true");
        assertThat(get(address)).contains("v1");
        assertThat(serviceImage()).as("the service is back on its previous image").isEqualTo(image);
        assertThat(DockerEngine.cli("service", "inspect", "demo_web", "--format", "{{.UpdateStatus.State}}")).isEqualTo("rollback_completed");
    }

    /** Starts the daemon on the workspace with {@code web} as a service (with {@code runKeys} under its {@code run:}), and deploys it. */
    private void startAndDeploy(String runKeys) throws Exception {
        writeConfig(runKeys);
        assertThat(app.run(dir, "-t", ws.root().toString()).exitCode()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        redeploy(0);
    }

    /** dab.yml: {@code web} as a service whose images go to this test's registry, with {@code runKeys} under its {@code run:}. */
    private void writeConfig(String runKeys) throws Exception {
        ws.write("dab.yml", """
                deployment:
                  target: swarm
                  registry: %s
                components:
                  web:
                    run:
                      update: {monitor: 2s}
                      %s
                """.formatted(registry.address(), runKeys));
    }

    /** {@code -s redeploy}, which answers once Swarm has decided. */
    private void redeploy(int exitCode) throws Exception {
        PackagedApp.Result result = app.run(ws.root(), "-s", "redeploy");
        assertThat(result.exitCode()).as(result.toString()).isEqualTo(exitCode);
    }

    private static String serviceImage() throws Exception {
        return DockerEngine.cli("service", "inspect", "demo_web", "--format", "{{.Spec.TaskTemplate.ContainerSpec.Image}}");
    }

    /** The first 12 hex digits of the content digest the engine's image carries as its label. */
    private static String contentTag() throws Exception {
        String label = DockerEngine.cli("image", "inspect", "demo-web:latest", "--format", "{{index .Config.Labels \"dev.autorebuild.digest\"}}");
        return label.substring("sha256:".length(), "sha256:".length() + 12);
    }

    /** The local tag of the image the service ran before its last update (Swarm keeps the previous spec). */
    private static String serviceImageBefore() throws Exception {
        String previous = DockerEngine.cli("service", "inspect", "demo_web", "--format", "{{.PreviousSpec.TaskTemplate.ContainerSpec.Image}}");
        return previous.substring(previous.indexOf(':') + 1);
    }

    /**
     * The service runs {@code registry/demo-web@sha256:…}; the registry holds that manifest under the tag named
     * after the image's content digest (its label, as the engine reports it).
     */
    private void assertRunsWhatTheRegistryHolds(String image) throws Exception {
        assertThat(image).startsWith(registry.address() + "/demo-web@sha256:");
        assertThat(registry.manifestDigest("demo-web", contentTag())).contains(image.substring(image.indexOf('@') + 1));
    }

    private static Optional<String> get(String address) {
        try {
            HttpURLConnection c = (HttpURLConnection) URI.create("http://" + address + "/index.html").toURL().openConnection();
            c.setConnectTimeout(500);
            c.setReadTimeout(1000);
            try (var in = c.getInputStream()) {
                return Optional.of(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
