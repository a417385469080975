package dev.autorebuild.docker;

import dev.autorebuild.core.config.EngineSettings;
import dev.autorebuild.support.Command;
import dev.autorebuild.support.TlsFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Which engine a daemon chooses, in the Docker CLI's order with dab.yml first. The contexts are made by
 * the Docker CLI itself ({@code docker --config DIR context create/use}), so where it keeps them is the
 * CLI's doing, not ours; the TLS files by openssl.
 */
class EngineTargetsTest {
    @TempDir
    Path home;

    private Path docker() {
        return home.resolve(".docker");
    }

    private void cli(String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("docker", "--config", docker().toString()));
        command.addAll(List.of(args));
        Command result = Command.run(Duration.ofMinutes(1), command, home);
        assertThat(result.exitCode()).as("%s: %s %s", command, result.output(), result.errors()).isZero();
    }

    @Test
    void withNothingSet_theDefaultSocket() throws Exception {
        EngineTarget t = EngineTargets.resolve(Optional.empty(), Map.of(), home);
        assertThat(t.describe()).isEqualTo("unix:///var/run/docker.sock (default)");
    }

    @Test
    void dockerHost_withTlsVerifyAndCertPath() throws Exception {
        EngineTarget t = EngineTargets.resolve(Optional.empty(), Map.of("DOCKER_HOST", "tcp://build:2376", "DOCKER_TLS_VERIFY", "1",
                "DOCKER_CERT_PATH", "/certs"), home);
        assertThat(t).isEqualTo(new EngineTarget("tcp://build:2376", Optional.of(Path.of("/certs")), true, "DOCKER_HOST"));
        assertThat(EngineTargets.resolve(Optional.empty(), Map.of("DOCKER_HOST", "tcp://build:2376", "DOCKER_TLS_VERIFY", "1"), home).certPath())
                .as("the CLI's default cert path: ~/.docker").contains(docker());
    }

    @Test
    void theClisCurrentContext_thenDockerContext_andDabYmlOverBoth() throws Exception {
        Path tls = TlsFiles.make(home.resolve("tls"), "ctx-ca");
        cli("context", "create", "build", "--docker", "host=tcp://127.0.0.1:23761,ca=" + tls.resolve("ca.pem") + ",cert=" + tls.resolve("cert.pem")
                + ",key=" + tls.resolve("key.pem"));
        cli("context", "create", "plain", "--docker", "host=tcp://10.0.0.9:2375");
        cli("context", "use", "build");

        EngineTarget current = EngineTargets.resolve(Optional.empty(), Map.of(), home);
        assertThat(current.host()).isEqualTo("tcp://127.0.0.1:23761");
        assertThat(current.tlsVerify()).isTrue();
        assertThat(Files.readString(current.certPath().orElseThrow().resolve("cert.pem"))).as("the CLI's copy of our client certificate")
                .isEqualTo(Files.readString(tls.resolve("cert.pem")));
        assertThat(current.source()).startsWith("context build (");
        DockerClients.check(current); // the CLI's stored files are usable as they are

        EngineTarget named = EngineTargets.resolve(Optional.empty(), Map.of("DOCKER_CONTEXT", "plain"), home);
        assertThat(named).isEqualTo(new EngineTarget("tcp://10.0.0.9:2375", Optional.empty(), false, "context plain (DOCKER_CONTEXT)"));

        EngineSettings dab = new EngineSettings(Optional.empty(), Optional.empty(), false, Optional.of("plain"));
        assertThat(EngineTargets.resolve(Optional.of(dab), Map.of("DOCKER_HOST", "tcp://elsewhere:2375"), home).host())
                .as("dab.yml's engine wins over the environment").isEqualTo("tcp://10.0.0.9:2375");
        assertThat(EngineTargets.resolve(Optional.empty(), Map.of("DOCKER_CONTEXT", "default"), home).host()).isEqualTo(EngineTarget.DEFAULT_HOST);
    }

    @Test
    void aMissingContext_andTlsFilesThatCannotWork_areOneClearLine() throws Exception {
        assertThatThrownBy(() -> EngineTargets.resolve(Optional.empty(), Map.of("DOCKER_CONTEXT", "nope"), home))
                .isInstanceOf(EngineTargets.Unusable.class).hasMessageStartingWith("the Docker context 'nope' (DOCKER_CONTEXT) does not exist")
                .hasMessageContaining("docker context ls");

        Path broken = Files.createDirectories(home.resolve("broken"));
        Files.writeString(broken.resolve("ca.pem"), "not a certificate\n");
        Files.writeString(broken.resolve("cert.pem"), "not a certificate\n");
        EngineTarget noKey = new EngineTarget("tcp://127.0.0.1:2376", Optional.of(broken), true, "DOCKER_HOST");
        assertThatThrownBy(() -> DockerClients.check(noKey)).hasMessageStartingWith("the TLS file " + broken.resolve("key.pem") + " is missing");
        Files.writeString(broken.resolve("key.pem"), "not a key\n");
        assertThatThrownBy(() -> DockerClients.check(noKey)).hasMessageStartingWith("cannot use the TLS files in " + broken);

        assertThatThrownBy(() -> DockerClients.check(new EngineTarget("ssh://me@build/var/run/docker.sock", Optional.empty(), false, "DOCKER_HOST")))
                .hasMessage("cannot read the engine address ssh://me@build/var/run/docker.sock (from DOCKER_HOST): write ssh://user@host or ssh://user@host:port");
        DockerClients.check(new EngineTarget("ssh://me@build", Optional.empty(), false, "DOCKER_HOST")); // usable: ssh is on this PATH
    }
}
