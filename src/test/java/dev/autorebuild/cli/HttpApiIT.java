package dev.autorebuild.cli;

import dev.autorebuild.support.Dashboard;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

/**
 * The daemon's HTTP API, as its owner uses it with curl: a detached daemon on a temp workspace, the real
 * engine, the address and token from {@code .dab/dashboard}, requests with rest-assured and the event
 * stream read as it arrives.
 */
class HttpApiIT extends DaemonProcessTest {

    private Dashboard start() throws Exception {
        PackagedApp.Result start = app.run(dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        return Dashboard.of(ws.root());
    }

    private static RequestSpecification as(Dashboard d) {
        return RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token());
    }

    @Test
    void everyRequest_needsTheToken_whichOnlyTheOwnerCanRead() throws Exception {
        Dashboard d = start();
        Path file = ws.root().resolve(".dab/dashboard");
        assertThat(mode(file)).isEqualTo("rw-------");
        assertThat(mode(ws.root().resolve(".dab/token"))).isEqualTo("rw-------");
        assertThat(Files.readString(ws.root().resolve(".dab/token"))).isEqualTo(d.token() + "\n");
        assertThat(d.base()).matches("http://127\\.0\\.0\\.1:\\d+");
        assertThat(d.token()).matches("[A-Za-z0-9_-]{43}");

        for (String path : List.of("/api/components", "/api/builds", "/", "/dashboard.js", "/q/metrics")) {
            RestAssured.given().baseUri(d.base()).get(path).then().statusCode(401)
                    .body(containsString("auto-rebuild -s status"));
            RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer wrong" + d.token()).get(path).then().statusCode(401);
        }
        RestAssured.given().baseUri(d.base()).post("/api/components/web/rebuild").then().statusCode(401);

        // ?token= lets the page in and leaves a cookie (HttpOnly, SameSite=Strict, named for this port) that suffices alone
        var page = RestAssured.given().baseUri(d.base()).queryParam("token", d.token()).get("/");
        page.then().statusCode(200).body(containsString("<title>auto-rebuild</title>"));
        String cookie = page.getDetailedCookie("dab_token_" + d.port()).toString();
        assertThat(cookie).contains("HttpOnly", "SameSite=Strict");
        RestAssured.given().baseUri(d.base()).cookie("dab_token_" + d.port(), d.token()).get("/api/components").then().statusCode(200);

        // another user on the machine can reach the port, but cannot read the token
        dev.autorebuild.support.Command other = dev.autorebuild.support.Command.run(Duration.ofSeconds(30), "runuser", "-u", "nobody", "--", "cat", file.toString());
        String said = other.output();
        assertThat(other.exitCode()).as("nobody reading the token: %s", said).isNotZero();
        assertThat(said).contains("Permission denied");

        PackagedApp.Result status = app.run(ws.root(), "-s", "status");
        assertThat(status.out()).contains("Dashboard: " + d.url());
    }

    @Test
    void components_builds_events_rebuild_redeploy_andMetrics() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("site", "v1");
        ws.write("dab.yml", "components:\n  site:\n    run:\n      ports: [\"" + port + ":80\"]\n");
        Dashboard d = start();
        awaitLog("[site] built demo-site:latest", 1);

        as(d).get("/api/daemon").then().statusCode(200)
                .body("workspace", equalTo(ws.root().toString()))
                .body("engine.answering", equalTo(true));
        as(d).get("/api/components").then().statusCode(200)
                .body("name", equalTo(List.of("site", "web")))
                .body("find { it.name == 'web' }.image", equalTo("demo-web:latest"))
                .body("find { it.name == 'web' }.folder", equalTo(ws.root().resolve("web").toString()))
                .body("find { it.name == 'web' }.state", equalTo("idle"))
                .body("find { it.name == 'web' }.digest", equalTo(ws.expectedDigest("web")))
                .body("find { it.name == 'web' }.lastBuild.result", equalTo("succeeded"))
                .body("find { it.name == 'web' }.lastBuild.builder", equalTo("buildkit"))
                .body("find { it.name == 'web' }.lastBuild.durationMs", notNullValue())
                .body("find { it.name == 'site' }.container.state", equalTo("absent"))
                .body("find { it.name == 'site' }.pendingRedeploy", equalTo(true));

        try (Dashboard.Events events = d.events().awaitOpen()) {
            assertThat(events.status()).isEqualTo(200);
            ws.write("web/index.html", "edited\n");
            await().atMost(Duration.ofSeconds(60)).until(() -> events.count("BuildSucceeded", "web") == 1);
            assertThat(events.received()).anyMatch(e -> Dashboard.Events.of("BuildStarted", "web").test(e)
                            && e.path("data").path("builder").asText().equals("buildkit"))
                    .anyMatch(e -> e.path("type").asText().equals("BuildOutput") && e.path("data").path("line").asText().startsWith("#1 "));
            var succeeded = events.received().stream().filter(Dashboard.Events.of("BuildSucceeded", "web")).findFirst().orElseThrow();
            assertThat(succeeded.path("data").path("digest").asText()).isEqualTo(ws.expectedDigest("web"));
            assertThat(succeeded.path("data").path("tookMs").asLong()).isPositive();

            // a rebuild on request builds even though nothing changed
            as(d).post("/api/components/web/rebuild").then().statusCode(202).body("queued", equalTo(true));
            await().atMost(Duration.ofSeconds(60)).until(() -> events.count("BuildSucceeded", "web") == 2);
            as(d).post("/api/components/nothing-here/rebuild").then().statusCode(404)
                    .body("error", equalTo("no component 'nothing-here'")).body("components", equalTo("site, web"));

            as(d).get("/api/builds?component=web").then().statusCode(200)
                    .body("size()", equalTo(3))
                    .body("[0].result", equalTo("succeeded"))
                    .body("[0].changedFiles", equalTo(0))
                    .body("[1].changedFiles", equalTo(1))
                    .body("[0].logTail", hasItem(matchesPattern("Successfully tagged demo-web:latest")));
            as(d).get("/api/builds").then().statusCode(200).body("component", hasItem("site"));

            // redeploy only what is asked for, and wait for the outcome
            as(d).post("/api/redeploy?component=site").then().statusCode(200)
                    .body("ok", equalTo(true)).body("summary", equalTo("redeployed site"));
            assertThat(DockerEngine.httpGet(port, "/index.html")).contains("v1");
            await().atMost(Duration.ofSeconds(10)).until(() -> events.count("Redeployed", "site") == 1);
            as(d).get("/api/components").then()
                    .body("find { it.name == 'site' }.container.state", equalTo("running"))
                    .body("find { it.name == 'site' }.pendingRedeploy", equalTo(false))
                    .body("find { it.name == 'site' }.lastRedeploy.result", equalTo("succeeded"))
                    .body("find { it.name == 'web' }.pendingRedeploy", equalTo(true));
            as(d).post("/api/redeploy?component=nope").then().statusCode(404);
        }

        String metrics = as(d).get("/q/metrics").then().statusCode(200)
                // Prometheus's text format, whatever order the server writes the parameters in
                .contentType(org.hamcrest.Matchers.allOf(org.hamcrest.Matchers.startsWith("text/plain"),
                        org.hamcrest.Matchers.containsString("version=0.0.4"), org.hamcrest.Matchers.containsString("charset=utf-8"))).extract().asString();
        assertIsPrometheusText(metrics);
        assertThat(metrics)
                .containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} \\d")
                .containsPattern("process_resident_memory_bytes \\d")
                .contains("dab_builds_total{builder=\"buildkit\",component=\"web\",result=\"succeeded\"} 3.0")
                .contains("dab_builds_total{builder=\"buildkit\",component=\"site\",result=\"succeeded\"} 1.0")
                .contains("dab_redeploys_total{component=\"site\",result=\"succeeded\"} 1.0")
                .containsPattern("dab_build_duration_seconds_count\\{builder=\"buildkit\",component=\"web\",result=\"succeeded\"} 3.0")
                .containsPattern("dab_file_events_total \\d+")
                .containsPattern("dab_file_events_dropped_total\\{reason=\"outside-components\"} \\d+")
                .containsPattern("dab_debounce_batches_total [1-9]")
                .containsPattern("dab_watched_folders [1-9]")
                .contains("dab_rescans_total 0.0");
    }

    /**
     * Prometheus's text format, line by line: a family's HELP and TYPE before its samples, every sample
     * {@code name{label="value",…} number} and of a family declared above it (a histogram's and a
     * summary's {@code _bucket}, {@code _count}, {@code _sum} included), no family twice.
     */
    private static void assertIsPrometheusText(String text) {
        java.util.regex.Pattern sample = java.util.regex.Pattern.compile(
                "([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\]|\\\\.)*\",?)*})? (-?[0-9.]+(E-?[0-9]+)?|[+-]Inf|NaN)");
        java.util.Set<String> families = new java.util.HashSet<>();
        String current = null;
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                continue;
            }
            if (line.startsWith("# TYPE ")) {
                current = line.split(" ")[2];
                assertThat(families.add(current)).as("family declared once: " + line).isTrue();
                continue;
            }
            var m = sample.matcher(line);
            assertThat(m.matches()).as("a sample line: " + line).isTrue();
            String name = m.group(1);
            assertThat(name.equals(current) || name.matches(java.util.regex.Pattern.quote(String.valueOf(current)) + "_(bucket|count|sum)"))
                    .as(name + " under the family declared above it, " + current).isTrue();
        }
        assertThat(families).hasSizeGreaterThan(10);
    }

    @Test
    void noOpWritesAndIgnoredFiles_areCountedAsDropped() throws Exception {
        ws.write(".dabignore", "*.log\n");
        Dashboard d = start();
        ws.write("web/index.html", "hello from web\n"); // byte-identical: no build
        ws.write("web/debug.log", "noise\n");
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String metrics = as(d).get("/q/metrics").asString();
            return metrics.matches("(?s).*dab_file_events_dropped_total\\{reason=\"unchanged-by-hash\"} [1-9].*")
                    && metrics.matches("(?s).*dab_file_events_dropped_total\\{reason=\"ignored\"} [1-9].*");
        });
        assertThat(as(d).get("/q/metrics").asString()).contains("dab_builds_total{builder=\"buildkit\",component=\"web\",result=\"succeeded\"} 1.0");
    }

    @Test
    void aFixedPortFromDabYml_isUsed_andTwoWorkspacesDaemonsCoexist() throws Exception {
        int port = DockerEngine.freePort();
        ws.write("dab.yml", "http:\n  port: " + port + "\n");
        Dashboard first = start();
        assertThat(first.port()).isEqualTo(port);

        Path other = Files.createDirectories(dir.resolve("other"));
        Files.createDirectories(other.resolve("api"));
        Files.writeString(other.resolve("api/Dockerfile"), "FROM busybox:stable\nCOPY . /app/\n");
        try {
            PackagedApp.Result second = app.run(dir, "-t", other.toString());
            assertThat(second.exitCode()).as(second.toString()).isZero();
            Dashboard d2 = Dashboard.of(other);
            assertThat(d2.port()).isNotEqualTo(port);
            as(d2).get("/api/components").then().statusCode(200).body("name", equalTo(List.of("api")));
            as(first).get("/api/components").then().statusCode(200).body("name", equalTo(List.of("web")));
            RestAssured.given().baseUri(d2.base()).header("Authorization", "Bearer " + first.token()).get("/api/components")
                    .then().statusCode(401); // each daemon its own token
        } finally {
            app.run(dir, "-s", "stop", "-t", other.toString());
            DockerEngine.removeImagesOf(other);
        }
        assertThat(app.run(dir, "-s", "quit", "-t", ws.root().toString()).exitCode()).isZero();
        assertThat(ws.root().resolve(".dab/dashboard")).as("removed when the daemon ends").doesNotExist();
    }
}
