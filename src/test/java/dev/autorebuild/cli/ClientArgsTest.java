package dev.autorebuild.cli;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's own reading of -s commands: every plain form, and everything else left to picocli. */
class ClientArgsTest {
    @Test
    void thePlainForms_areRead() {
        ClientArgs expected = new ClientArgs(DaemonControl.Command.status, Optional.of(Path.of("/w s")), List.of());
        assertThat(ClientArgs.parse("-s", "status", "-t", "/w s")).contains(expected);
        assertThat(ClientArgs.parse("-t", "/w s", "-s", "status")).contains(expected);
        assertThat(ClientArgs.parse("-sstatus", "-t/w s")).contains(expected);
        assertThat(ClientArgs.parse("--signal=status", "--target=/w s")).contains(expected);
        assertThat(ClientArgs.parse("--signal", "status", "--target", "/w s")).contains(expected);
        assertThat(ClientArgs.parse("-s", "quit")).contains(new ClientArgs(DaemonControl.Command.quit, Optional.empty(), List.of()));
        assertThat(ClientArgs.parse("-s", "redeploy", "Web UI", "api"))
                .contains(new ClientArgs(DaemonControl.Command.redeploy, Optional.empty(), List.of("Web UI", "api")));
    }

    @Test
    void anythingElse_isLeftToPicocli_whichReportsIt() {
        assertThat(ClientArgs.parse()).isEmpty();
        assertThat(ClientArgs.parse("-t", "/w")).isEmpty(); // no command: a start
        assertThat(ClientArgs.parse("-s", "bogus")).isEmpty();
        assertThat(ClientArgs.parse("-s")).isEmpty();
        assertThat(ClientArgs.parse("-s", "status", "-s", "quit")).isEmpty();
        assertThat(ClientArgs.parse("-s", "status", "-t", "/a", "-t", "/b")).isEmpty();
        assertThat(ClientArgs.parse("-s", "status", "web")).as("names go with redeploy only").isEmpty();
        assertThat(ClientArgs.parse("-s", "status", "-c", "dab.yml")).isEmpty();
        assertThat(ClientArgs.parse("-s", "status", "--help")).isEmpty();
        assertThat(ClientArgs.parse("-fs", "status")).isEmpty();
        assertThat(ClientArgs.parse("-s", "status", "--", "x")).isEmpty();
    }
}
