package dev.autorebuild.cli;

import dev.autorebuild.support.Command;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.SecondEngine;
import dev.autorebuild.support.TlsFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A workspace built and run on another engine, reached over TCP with mutual TLS (a second dockerd this
 * test starts, with certificates it makes): the images and containers are there and not on this
 * machine's engine, and TLS files that cannot work stop the start with one line.
 */
class RemoteEngineIT extends DaemonProcessTest {
    private Path tls;
    private SecondEngine engine;
    private int port;

    @BeforeEach
    void secondEngine() throws Exception {
        tls = TlsFiles.make(dir.resolve("tls"), "dab-test-ca");
        engine = SecondEngine.start(dir.resolve("engine"), tls);
        port = DockerEngine.freePort();
        ws.httpComponent("web", "hello from the build host").write("dab.yml", "components:\n  web:\n    run:\n      ports: [\"" + port + ":80\"]\n");
    }

    @AfterEach
    void stopSecondEngine() throws Exception {
        reaper.afterEach(null); // the daemons first: they talk to the engine
        if (engine != null) {
            engine.close();
        }
    }

    private Map<String, String> over(Path certs) {
        return Map.of("DOCKER_HOST", engine.address(), "DOCKER_TLS_VERIFY", "1", "DOCKER_CERT_PATH", certs.toString());
    }

    @Test
    void aWorkspaceOnAnEngineReachedOverMutualTls_isBuiltAndRunThere_andNotOnThisMachinesEngine() throws Exception {
        PackagedApp.Result start = app.runWith(over(tls), dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        assertThat(logText()).contains("engine: " + engine.address() + " (TLS, from DOCKER_HOST)");
        assertThat(engine.cli("images", "-q", "demo-web:latest")).as("built on the second engine").isNotEmpty();
        assertThat(DockerEngine.cli("images", "-q", "demo-web:latest")).as("nothing built on this machine's engine").isEmpty();

        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
        assertThat(engine.cli("ps", "--filter", "name=^demo-web$", "--format", "{{.Image}}")).isEqualTo("demo-web:latest");
        await().atMost(Duration.ofSeconds(10)).until(() -> DockerEngine.httpGet(port, "/index.html").isPresent());
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("hello from the build host");
        assertThat(app.run(ws.root(), "-s", "status").out()).contains("engine: " + engine.address() + " (TLS, from DOCKER_HOST)");
    }

    @Test
    void aBindWhoseSourceIsNotOnTheEnginesMachine_failsTheRedeployWithWhy_insteadOfMountingAnEmptyFolder() throws Exception {
        String missing = "/dab-test-missing-" + Long.toHexString(System.nanoTime());
        ws.write("dab.yml", "components:\n  web:\n    run:\n      ports: [\"" + port + ":80\"]\n      volumes: [\"" + missing + ":/data\"]\n");
        assertThat(app.runWith(over(tls), dir, "-t", ws.root().toString()).exitCode()).isZero();
        awaitLog("[web] built demo-web:latest", 1);

        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isNotZero();
        assertThat(redeploy.err()).contains("redeploy FAILED for 1 of 1 (web)");
        assertThat(logText()).contains("bind source path does not exist", missing, "a bind source is a path there, not on this machine");
        assertThat(java.nio.file.Files.exists(Path.of(missing))).as("nothing created on the engine's machine").isFalse();
    }

    @Test
    void dabYmlsEngine_winsOverTheEnvironment_andAChangeToItWaitsForTheNextStart() throws Exception {
        ws.write("dab.yml", "engine:\n  host: " + engine.address() + "\n  cert-path: " + tls + "\n"
                + "components:\n  web:\n    run:\n      ports: [\"" + port + ":80\"]\n");
        PackagedApp.Result start = app.runWith(Map.of("DOCKER_HOST", "unix:///var/run/docker.sock"), dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        assertThat(logText()).contains("engine: " + engine.address() + " (TLS, from dab.yml engine:)");
        assertThat(engine.cli("images", "-q", "demo-web:latest")).isNotEmpty();
        assertThat(DockerEngine.cli("images", "-q", "demo-web:latest")).isEmpty();

        ws.write("dab.yml", "engine:\n  host: unix:///var/run/docker.sock\n");
        awaitLog("engine: is read at start only", 1);
        assertThat(app.run(ws.root(), "-s", "status").out()).contains("engine: " + engine.address() + " (TLS, from dab.yml engine:)");
    }

    @Test
    void tlsThatCannotWork_stopsTheStartWithOneLine_andStartsNothing() throws Exception {
        Path noKey = Files.createDirectories(dir.resolve("no-key"));
        Files.copy(tls.resolve("ca.pem"), noKey.resolve("ca.pem"));
        Files.copy(tls.resolve("cert.pem"), noKey.resolve("cert.pem"));
        PackagedApp.Result missing = app.runWith(over(noKey), dir, "-t", ws.root().toString());
        assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(1);
        assertThat(missing.err()).contains("auto-rebuild: the TLS file " + noKey.resolve("key.pem") + " is missing (engine " + engine.address()
                + " (TLS, from DOCKER_HOST))", "nothing was started");

        // a client certificate from a CA the engine does not trust
        Path stranger = TlsFiles.make(dir.resolve("stranger"), "another-ca");
        Files.copy(tls.resolve("ca.pem"), stranger.resolve("ca.pem"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        PackagedApp.Result refused = app.runWith(over(stranger), dir, "-t", ws.root().toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("takes connections but the TLS exchange failed", "refused our client certificate", "nothing was started");

        // no certificate at all: the engine answers plain HTTP with a refusal
        PackagedApp.Result plain = app.runWith(Map.of("DOCKER_HOST", engine.address()), dir, "-t", ws.root().toString());
        assertThat(plain.exitCode()).as(plain.toString()).isEqualTo(1);
        assertThat(plain.err()).contains("takes connections but refused our request", "it wants TLS with a client certificate");

        assertThat(Command.run(Duration.ofSeconds(30), "pgrep", "-fa", "--", "-t " + ws.root() + " --foreground").output()).as("no daemon runs").isBlank();
        assertThat(engine.cli("images", "-q", "demo-web")).isEmpty();
    }
}
