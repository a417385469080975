package dev.autorebuild.cli;

import dev.autorebuild.support.Command;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A workspace that is a Compose project, run by the packaged daemon against the real engine: its
 * services built and run under Compose's names and labels, and a project docker-compose (Debian's
 * 1.29) started adopted rather than duplicated. The expected names and labels are Compose's own, as
 * documented and as docker-compose itself makes them, written out by hand.
 */
class ComposeIT extends DaemonProcessTest {
    private String project;
    private int webPort;

    @BeforeEach
    void composeProject() throws IOException {
        // the folder names the project (docker-compose 1.29 has no name: key): unique, so no run meets another's containers
        project = "arshop" + Long.toHexString(System.nanoTime() & 0xffffff);
        ws = new TestWorkspace(Files.createDirectories(dir.resolve(project)));
        webPort = DockerEngine.freePort();
        ws.httpComponent("web", "hello from web")
                .write("api/Api.Dockerfile", """
                        FROM busybox:stable AS base
                        RUN mkdir /www
                        FROM base AS dev
                        RUN echo dev > /www/index.html
                        CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
                        FROM base AS prod
                        RUN echo prod > /www/index.html
                        CMD ["httpd", "-f", "-p", "8080", "-h", "/www"]
                        """)
                .write(".env", "WEB_PORT=" + webPort + "\nGREETING=hi from .env\n")
                .write("compose.yaml", """
                        services:
                          web:
                            build: ./web
                            ports:
                              - "${WEB_PORT:-8080}:80"
                            environment:
                              GREETING: ${GREETING}
                          api:
                            build:
                              context: ./api
                              dockerfile: Api.Dockerfile
                              target: dev
                          db:
                            image: busybox:stable
                        """);
    }

    @AfterEach
    void removeComposeLeftovers() throws Exception {
        reaper.afterEach(null);
        for (String id : DockerEngine.cli("ps", "-aq", "--filter", "label=com.docker.compose.project=" + project).lines().toList()) {
            DockerEngine.cli("rm", "-f", id);
        }
        Command.run(Duration.ofSeconds(30), "docker", "network", "rm", project + "_default");
        Command.run(Duration.ofSeconds(30), "docker", "rmi", "-f", project + "_web", project + "-web", project + "-api");
    }

    @Test
    void aComposeProject_isBuiltAndRunUnderComposesNamesAndLabels_andItsServicesReachEachOtherByName() throws Exception {
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built " + project + "-web:latest", 1);
        awaitLog("[api] built " + project + "-api:latest", 1);
        assertThat(logText()).contains("configuration: compose.yaml");

        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
        assertThat(redeploy.out()).contains("redeployed api, web");

        String web = project + "-web-1";
        assertThat(DockerEngine.cli("inspect", "--format",
                "{{index .Config.Labels \"com.docker.compose.project\"}} {{index .Config.Labels \"com.docker.compose.service\"}} "
                        + "{{index .Config.Labels \"com.docker.compose.container-number\"}} {{index .Config.Labels \"com.docker.compose.oneoff\"}}", web))
                .isEqualTo(project + " web 1 False");
        assertThat(DockerEngine.cli("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", web)).contains("GREETING=hi from .env");
        await().atMost(Duration.ofSeconds(10)).until(() -> DockerEngine.httpGet(webPort, "/index.html").isPresent());
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).contains("hello from web");
        assertThat(DockerEngine.cli("exec", web, "wget", "-q", "-O-", "http://api:8080/"))
                .as("the api's dev target, reached by its service name on the project's network").isEqualTo("dev");
        assertThat(DockerEngine.cli("ps", "-a", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.project=" + project).lines().sorted())
                .as("db is Compose's to run: image only").containsExactly(project + "-api-1", web);

        PackagedApp.Result status = app.run(ws.root(), "-s", "status");
        assertThat(status.out()).contains("not built here: db (image only)");
    }

    @Test
    void includedFiles_andAServiceExtendedFromAnotherFile_areBuiltRunAndReloadedLikeTheMainFile() throws Exception {
        ws.write("compose.yaml", """
                        include: [infra/services.yaml]
                        services:
                          web:
                            extends: {file: common.yml, service: base}
                            build: ./web
                            ports: ["${WEB_PORT}:80"]
                        """)
                .write("common.yml", "services:\n  base:\n    environment: {GREETING: from common.yml}\n")
                .write("infra/services.yaml", """
                        services:
                          api:
                            build: {context: ../api, dockerfile: Api.Dockerfile, target: dev}
                        """);
        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built " + project + "-web:latest", 1);
        awaitLog("[api] built " + project + "-api:latest", 1);
        assertThat(app.run(ws.root(), "-s", "redeploy").exitCode()).isZero();
        String web = project + "-web-1";
        assertThat(DockerEngine.cli("inspect", "--format", "{{range .Config.Env}}{{println .}}{{end}}", web)).contains("GREETING=from common.yml");
        assertThat(DockerEngine.cli("exec", web, "wget", "-q", "-O-", "http://api:8080/")).isEqualTo("dev");

        ws.write("infra/services.yaml", """
                services:
                  api:
                    build: {context: ../api, dockerfile: Api.Dockerfile, target: prod}
                """);
        awaitLog("configuration reloaded", 1);
        awaitLog("[api] built " + project + "-api:latest", 2);
        assertThat(app.run(ws.root(), "-s", "redeploy", "api").exitCode()).isZero();
        assertThat(DockerEngine.cli("exec", web, "wget", "-q", "-O-", "http://api:8080/")).as("the included file's new target").isEqualTo("prod");

        ws.write("infra/services.yaml", "services:\n  api:\n    biuld: ../api\n");
        awaitLog("configuration NOT reloaded", 1);
        assertThat(logText()).contains("infra/services.yaml:3:5: 'biuld' is not a Compose key in services.api; did you mean 'build'?");
    }

    @Test
    void aProjectStartedByDockerCompose_isAdopted_itsContainerReplacedNotDuplicated() throws Exception {
        Command up = Command.run(Duration.ofMinutes(3), List.of("docker-compose", "up", "-d", "--build", "--no-deps", "web"), ws.root());
        assertThat(up.exitCode()).as("docker-compose up (Debian's docker-compose package): %s %s", up.output(), up.errors()).isZero();
        assertThat(DockerEngine.cli("ps", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.project=" + project))
                .isEqualTo(project + "_web_1");

        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built " + project + "-web:latest", 1);
        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy", "web");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();

        assertThat(DockerEngine.cli("ps", "-a", "--format", "{{.Names}}", "--filter", "label=com.docker.compose.project=" + project,
                "--filter", "label=com.docker.compose.service=web")).as("replaced, not duplicated").isEqualTo(project + "-web-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> DockerEngine.httpGet(webPort, "/index.html").isPresent());
        assertThat(DockerEngine.httpGet(webPort, "/index.html")).contains("hello from web");
        Command ps = Command.run(Duration.ofMinutes(1), List.of("docker-compose", "ps", "--services", "--filter", "status=running"), ws.root());
        assertThat(ps.output().strip()).as("docker-compose still sees its service running").isEqualTo("web");
    }

    @Test
    void developWatchRules_syncSavesIntoTheRunningContainer_withoutABuild_andEverythingElseStillRebuilds() throws Exception {
        ws.write("web/site/index.html", "v1\n")
                .write("web/conf/a.conf", "start\n")
                .write("web/restart.me", "0\n")
                .write("compose.yaml", """
                        services:
                          web:
                            build: ./web
                            ports: ["${WEB_PORT}:80"]
                            develop:
                              watch:
                                - path: ./web/site
                                  action: sync
                                  target: /www/site
                                  ignore: ["*.draft"]
                                - path: ./web/conf
                                  action: sync+exec
                                  target: /etc/app
                                  exec:
                                    command: sh -c "cat /etc/app/*.conf > /www/conf.txt"
                                - path: ./web/restart.me
                                  action: sync+restart
                                  target: /www/restart.me
                                - path: ./web/Dockerfile
                                  action: rebuild
                        """);
        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built " + project + "-web:latest", 1);
        assertThat(app.run(ws.root(), "-s", "redeploy").exitCode()).isZero();
        awaitPage("/site/index.html", "v1");

        ws.write("web/site/index.html", "v2\n");
        awaitPage("/site/index.html", "v2");
        ws.write("web/site/new/page.html", "a new page\n");
        awaitPage("/site/new/page.html", "a new page");
        Files.delete(ws.root().resolve("web/site/index.html"));
        await().atMost(Duration.ofSeconds(20)).until(() -> DockerEngine.httpGet(webPort, "/site/index.html").isEmpty());
        awaitLog("[web] synced (sync): 0 copied, 1 deleted", 1);

        // a byte-identical rewrite and an ignored file copy nothing and build nothing; the next real save proves they were seen
        ws.write("web/site/new/page.html", "a new page\n");
        ws.write("web/site/scratch.draft", "notes\n");
        ws.write("web/site/marker.html", "marker\n");
        awaitPage("/site/marker.html", "marker");
        assertThat(DockerEngine.cli("exec", project + "-web-1", "ls", "/www/site")).doesNotContain("scratch.draft");
        awaitLog("] synced (", 4); // the page is served a moment before the line is written
        assertThat(count("] synced (")).as("v2, the new page, the delete, the marker: nothing for the no-op and the ignored file").isEqualTo(4);
        await().atMost(Duration.ofSeconds(10)).alias("-s status shows the last sync")
                .until(() -> app.run(ws.root(), "-s", "status").out(), out -> out.contains("sync:      ok, ") && out.contains("(sync, 1 copied, 0 deleted)"));
        Files.delete(ws.root().resolve("web/site/new/page.html")); // a file only a sync put there: the image never had it
        await().atMost(Duration.ofSeconds(20)).until(() -> DockerEngine.httpGet(webPort, "/site/new/page.html").isEmpty());

        ws.write("web/conf/a.conf", "alpha\n");
        awaitPage("/conf.txt", "alpha");
        awaitLog("[web] synced (sync+exec): 1 copied, 0 deleted", 1);
        assertThat(logText()).contains("sh -c cat /etc/app/*.conf > /www/conf.txt exited 0");

        String startedAt = DockerEngine.cli("inspect", "--format", "{{.State.StartedAt}}", project + "-web-1");
        ws.write("web/restart.me", "1\n");
        awaitLog("[web] synced (sync+restart): 1 copied, 0 deleted", 1);
        assertThat(DockerEngine.cli("inspect", "--format", "{{.State.StartedAt}}", project + "-web-1")).isNotEqualTo(startedAt);
        awaitPage("/restart.me", "1");
        ws.write("web/site/index.html", "after the restart\n"); // the shell died with the restart: another one copies this
        awaitPage("/site/index.html", "after the restart");
        assertThat(count("[web] built ")).as("no build for any of the syncs").isEqualTo(1);
        assertThat(logText()).as("the restarted container's shell ended quietly").doesNotContain("Exception in thread", "unexpected error");

        ws.write("web/Dockerfile", TestWorkspace.HTTPD + "# changed\n");
        awaitLog("[web] built " + project + "-web:latest", 2);
        ws.write("web/site/marker.html", "after the rebuild\n");
        awaitLog("[web] sync failed: container " + project + "-web-1 does not run the current image (a redeploy is pending); rebuilding instead", 1);
        awaitLog("[web] built " + project + "-web:latest", 3);
        assertThat(DockerEngine.runIn(project + "-web:latest", "cat /www/site/marker.html")).as("the build holds every file").isEqualTo("after the rebuild");
    }

    @Test
    void theSameRulesInDabYml_syncAComponentWithoutACompose_file() throws Exception {
        Files.delete(ws.root().resolve("compose.yaml"));
        ws.webSyncingSite(webPort);
        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built " + project + "-web:latest", 1);
        assertThat(app.run(ws.root(), "-s", "redeploy", "web").exitCode()).isZero();
        awaitPage("/site/index.html", "v1");
        ws.write("web/site/index.html", "v2\n");
        awaitPage("/site/index.html", "v2");
        awaitLog("[web] synced (sync): 1 copied, 0 deleted", 1);
        assertThat(count("[web] built ")).isEqualTo(1);

        // a file only a sync put into the container, deleted while no daemon runs: the next daemon cannot see it
        // change, but knows the container received syncs, and a redeploy resets it to its image
        ws.write("web/site/extra.html", "extra\n");
        awaitPage("/site/extra.html", "extra");
        assertThat(app.run(ws.root(), "-s", "quit").exitCode()).isZero();
        Files.delete(ws.root().resolve("web/site/extra.html"));
        ws.write("web/site/index.html", "v1\n"); // the image's own content again: no build at the next start
        pidOf(app.run(dir, "-t", ws.root().toString()));
        await().atMost(Duration.ofSeconds(20)).alias("-s status says the container holds earlier syncs")
                .until(() -> app.run(ws.root(), "-s", "status").out(), out -> out.contains("it holds live syncs from before the daemon started")
                        && out.contains("redeploy PENDING"));
        assertThat(app.run(ws.root(), "-s", "redeploy", "web").exitCode()).isZero();
        awaitPage("/site/index.html", "v1");
        assertThat(DockerEngine.httpGet(webPort, "/site/extra.html")).as("gone with the old container").isEmpty();
        assertThat(count("[web] built ")).as("the files were the image's again: no build").isEqualTo(1);
    }

    private void awaitPage(String path, String content) {
        await().atMost(Duration.ofSeconds(20)).alias(path + " serves '" + content + "'")
                .until(() -> DockerEngine.httpGet(webPort, path).filter(content::equals).isPresent());
    }

    private int count(String fragment) throws IOException {
        return logText().split(java.util.regex.Pattern.quote(fragment), -1).length - 1;
    }

    @Test
    void aComposeKeyThatIsNoComposeKey_stopsTheStart_withItsPosition() throws Exception {
        ws.write("compose.yaml", "services:\n  web:\n    build: ./web\n    portz: [\"8080:80\"]\n");
        PackagedApp.Result start = app.run(dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).isEqualTo(1);
        assertThat(start.err()).contains("compose.yaml:4:5: 'portz' is not a Compose key in services.web; did you mean 'ports'?");
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).doesNotExist();
    }
}
