package dev.autorebuild.cli;

import io.quarkus.test.junit.main.Launch;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The real command through Quarkus: exit codes and what the user reads. */
@QuarkusMainTest
class AutoRebuildMainTest {
    @Test
    @Launch({"--help"})
    void help_listsTheOptionsAndExitCodes(LaunchResult result) {
        assertThat(result.getOutput()).contains("-t, --target=DIR", "-f, --foreground", "-s, --signal=COMMAND",
                "send a command to the running daemon: quit, stop,", "--quit-timeout", "Exit codes:",
                "3   no daemon is running for that workspace", "quit = SIGTERM");
    }

    @Test
    @Launch(value = {"-t", "/no/such/workspace", "-f"}, exitCode = 1)
    void missingWorkspace_exitsOne_withWhatToDo(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("/no/such/workspace is not a folder; pass the workspace with -t DIR");
    }

    @Test
    @Launch(value = {"-t", ".", "--max-wait", "100ms", "--quiet-period", "1s", "-f"}, exitCode = 1)
    void maxWaitShorterThanQuietPeriod_isRefused(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("must be at least the quiet period");
    }

    @Test
    @Launch(value = {"--quiet-period", "soon"}, exitCode = 2)
    void badDuration_isAUsageError(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("'soon' is not a duration");
    }

    @Test
    @Launch(value = {"-s", "status", "-t", "/"}, exitCode = 3)
    void aCommandForAWorkspaceWithoutDaemon_exitsThree_andSaysHowToStartOne(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("no daemon is running for /; start one with 'auto-rebuild -t /'");
    }

    @Test
    @Launch(value = {"-s", "restart"}, exitCode = 2)
    void anUnknownCommand_isAUsageError_listingTheValidOnes(LaunchResult result) {
        assertThat(result.getErrorOutput()).contains("quit, stop, redeploy, status, reload");
    }
}
