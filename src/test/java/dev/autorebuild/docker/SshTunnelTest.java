package dev.autorebuild.docker;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The ssh command each connection runs, as the Docker CLI's ssh helper would run it, and the tunnel's private socket. */
class SshTunnelTest {
    @Test
    void theCommand_namesUserPortAndHost_andRunsDialStdioThere() throws Exception {
        try (SshTunnel tunnel = SshTunnel.open("ssh://me@build-host:2222")) {
            List<String> command = tunnel.command();
            assertThat(command).startsWith("ssh", "-T", "-o", "BatchMode=yes");
            assertThat(command).containsSubsequence("-p", "2222").containsSubsequence("-l", "me")
                    .endsWith("--", "build-host", "docker", "system", "dial-stdio");
        }
        try (SshTunnel tunnel = SshTunnel.open("ssh://me@[::1]:22")) {
            assertThat(tunnel.command()).as("an IPv6 literal, as ssh takes it").endsWith("--", "::1", "docker", "system", "dial-stdio");
        }
        try (SshTunnel tunnel = SshTunnel.open("ssh://build-host")) {
            assertThat(tunnel.command()).doesNotContain("-p", "-l").endsWith("--", "build-host", "docker", "system", "dial-stdio");
        }
    }

    @Test
    void theSocket_isInAFolderOnlyItsUserMayOpen_andGoesWithTheTunnel() throws Exception {
        Path socket;
        try (SshTunnel tunnel = SshTunnel.open("ssh://me@build-host")) {
            socket = Path.of(tunnel.localHost().substring("unix://".length()));
            assertThat(socket).exists();
            assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(socket.getParent()))).isEqualTo("rwx------");
        }
        assertThat(socket.getParent()).doesNotExist();
    }
}
