package dev.autorebuild.cli;

import dev.autorebuild.support.Command;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.SshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An engine reached over SSH, as {@code DOCKER_HOST=ssh://user@host} reaches it for the Docker CLI: a
 * real sshd on 127.0.0.1 with keys the test makes, whose sessions run {@code docker system dial-stdio}
 * against this machine's engine. Builds (with their BuildKit session), redeploys and status all go
 * through ssh; a login that cannot work stops the start with ssh's own words.
 */
class SshEngineIT extends DaemonProcessTest {
    private SshServer sshd;
    private int port;

    @BeforeEach
    void sshServer() throws Exception {
        sshd = SshServer.start(dir.resolve("sshd"));
        port = DockerEngine.freePort();
        ws.httpComponent("web", "hello over ssh").write("dab.yml", "components:\n  web:\n    run:\n      ports: [\"" + port + ":80\"]\n");
    }

    @AfterEach
    void stopSshServer() throws Exception {
        reaper.afterEach(null); // the daemons first: they talk through it
        if (sshd != null) {
            sshd.close();
        }
    }

    @Test
    void aWorkspaceOnAnEngineReachedOverSsh_isBuiltRedeployedAndRebuilt_throughSsh() throws Exception {
        PackagedApp.Result start = app.runWith(sshd.environment(), dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        awaitLog("[web] built demo-web:latest", 1);
        assertThat(logText()).contains("engine: " + sshd.address() + " (from DOCKER_HOST)");
        assertThat(sshd.calls()).as("the engine was reached through ssh, as the CLI does").contains("-l root -- 127.0.0.1 docker system dial-stdio");
        assertThat(sshd.log()).contains("Accepted publickey for root");
        assertThat(tunnelFolders()).as("two tunnels: the start command's login check, then the daemon's own; the daemon it launched "
                + "does not check the login again (a host that hangs held the start twice that check's 40 s)").hasSize(2);

        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> DockerEngine.httpGet(port, "/index.html").isPresent());
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("hello over ssh");

        ws.write("web/index.html", "edited over ssh\n");
        awaitLog("[web] built demo-web:latest", 2);
        assertThat(DockerEngine.cli("run", "--rm", "demo-web:latest", "cat", "/www/index.html")).as("the image the engine holds").isEqualTo("edited over ssh");
        assertThat(app.run(ws.root(), "-s", "status").out()).contains("engine: " + sshd.address() + " (from DOCKER_HOST)");

        String tunnel = tunnelFolder();
        assertThat(app.run(ws.root(), "-s", "quit").exitCode()).isZero();
        await().atMost(Duration.ofSeconds(20)).alias("the tunnel's folder and its ssh connections end with the daemon")
                .until(() -> !java.nio.file.Files.exists(java.nio.file.Path.of(tunnel))
                        && Command.run(Duration.ofSeconds(10), "pgrep", "-f", tunnel).output().isBlank());
    }

    @Test
    void aBuildHostThatGoesAwayMidRun_holdsTheBuild_andItRunsOnceTheHostIsBack() throws Exception {
        assertThat(app.runWith(sshd.environment(), dir, "-t", ws.root().toString()).exitCode()).isZero();
        awaitLog("[web] built demo-web:latest", 1);

        sshd.down(); // sshd and its sessions gone: the tunnel's master connection and spares die with them
        ws.write("web/index.html", "saved while the host was away\n");
        awaitLog("[web] changed; its build waits (the container engine does not answer)", 1);
        String status = app.run(ws.root(), "-s", "status").out();
        assertThat(status).as(status).contains("engine: not answering since ", sshd.address() + ": ssh says \"ssh: connect to host 127.0.0.1 port ",
                "Connection refused");

        sshd.up();
        awaitLog("[web] built demo-web:latest", 2);
        assertThat(DockerEngine.cli("run", "--rm", "demo-web:latest", "cat", "/www/index.html")).isEqualTo("saved while the host was away");
        assertThat(logText()).doesNotContain("\tat ", "build FAILED");
    }

    @Test
    void aKeyTheHostRefuses_stopsTheStartWithSshsOwnWords_andStartsNothing() throws Exception {
        PackagedApp.Result refused = app.runWith(sshd.strangersEnvironment(), dir, "-t", ws.root().toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("cannot reach the engine " + sshd.address() + " (from DOCKER_HOST) over SSH: ssh says",
                "Permission denied (publickey)", "nothing was started");
        assertThat(refused.err().strip().lines().count()).as("one line").isEqualTo(1);
        assertThat(Command.run(Duration.ofSeconds(30), "pgrep", "-fa", "--", "-t " + ws.root() + " --foreground").output()).as("no daemon runs").isBlank();
        assertThat(DockerEngine.cli("images", "-q", "demo-web")).isEmpty();
    }

    /** The private folder of the daemon's tunnel, read off the ssh commands it ran (ControlPath=FOLDER/master). */
    private String tunnelFolder() throws Exception {
        List<String> folders = tunnelFolders();
        assertThat(folders).as("ssh ran with a control path").isNotEmpty();
        return folders.get(folders.size() - 1);
    }

    /** The private folders of every tunnel that ran ssh so far, in the order they first did. */
    private List<String> tunnelFolders() throws Exception {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("ControlPath=(\\S+)/master").matcher(sshd.calls());
        java.util.Set<String> folders = new java.util.LinkedHashSet<>();
        while (m.find()) {
            folders.add(m.group(1));
        }
        return List.copyOf(folders);
    }
}
