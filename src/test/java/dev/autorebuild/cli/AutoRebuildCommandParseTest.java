package dev.autorebuild.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Argument parsing alone, without I/O (as Jib tests its CLI). */
class AutoRebuildCommandParseTest {
    @Test
    void parse_readsTargetForegroundAndDurations() {
        AutoRebuildCommand cmd = CommandLine.populateCommand(new AutoRebuildCommand(),
                "-t", "examples/docker-project", "-f", "--quiet-period", "50ms", "--max-wait", "1s", "--parallel-builds", "3");
        assertThat(cmd.target).isEqualTo(Path.of("examples/docker-project"));
        assertThat(cmd.foreground).isTrue();
        assertThat(cmd.quietPeriod).isEqualTo(Duration.ofMillis(50));
        assertThat(cmd.maxWait).isEqualTo(Duration.ofSeconds(1));
        assertThat(cmd.parallelBuilds).isEqualTo(3);
    }

    @Test
    void parse_defaults() {
        AutoRebuildCommand cmd = CommandLine.populateCommand(new AutoRebuildCommand());
        assertThat(cmd.target).as("unset: the current folder, or for -s the daemon found from it").isNull();
        assertThat(cmd.foreground).isFalse();
        assertThat(cmd.signal).isNull();
        assertThat(cmd.config).isNull();
        // unset: dab.yml or the built-in defaults decide, and a reload can change them
        assertThat(cmd.quitTimeout).isNull();
        assertThat(cmd.quietPeriod).isNull();
        assertThat(cmd.maxWait).isNull();
        assertThat(cmd.parallelBuilds).isNull();
    }

    @Test
    void parse_signalCommands() {
        assertThat(CommandLine.populateCommand(new AutoRebuildCommand(), "-s", "redeploy").signal).isEqualTo(DaemonControl.Command.redeploy);
        assertThat(CommandLine.populateCommand(new AutoRebuildCommand(), "--signal", "quit").signal).isEqualTo(DaemonControl.Command.quit);
    }

    @Test
    void onlyTheDaemonInThisProcess_bootsTheRuntime() {
        assertThat(AutoRebuildCommand.needsRuntime("-t", "x", "-f")).isTrue();
        assertThat(AutoRebuildCommand.needsRuntime("-t", "x")).as("the launcher").isFalse();
        assertThat(AutoRebuildCommand.needsRuntime("-s", "status")).isFalse();
        assertThat(AutoRebuildCommand.needsRuntime("-f", "--help")).isFalse();
        assertThat(AutoRebuildCommand.needsRuntime("-f", "--max-wait", "soon")).as("a usage error").isFalse();
        assertThat(AutoRebuildCommand.needsRuntime("-f", "--check-config")).isFalse();
        assertThat(AutoRebuildCommand.needsRuntime("check-ignore", "x")).isFalse();
    }

    @Test
    void theCompletionScript_loadsInBash_andCompletesTheSignalCommands() throws Exception {
        java.io.StringWriter out = new java.io.StringWriter();
        CommandLine cli = new CommandLine(new AutoRebuildCommand());
        cli.setOut(new java.io.PrintWriter(out));
        assertThat(cli.execute("completion")).isZero();
        assertThat(AutoRebuildCommand.needsRuntime("completion")).isFalse();

        Path script = java.nio.file.Files.createTempFile("auto-rebuild", ".bash");
        try {
            java.nio.file.Files.writeString(script, out.toString());
            // what a user's shell does with it: load it, then ask for the words after "-s "
            dev.autorebuild.support.Command bash = dev.autorebuild.support.Command.run(Duration.ofSeconds(30), "bash", "-c",
                    "source '" + script + "' && complete -p auto-rebuild && COMP_WORDS=(auto-rebuild -s ''); COMP_CWORD=2; "
                            + "COMP_LINE='auto-rebuild -s '; COMP_POINT=${#COMP_LINE}; "
                            + "$(complete -p auto-rebuild | sed -E 's/.*-F ([^ ]+).*/\\1/'); printf '%s\\n' \"${COMPREPLY[@]}\"");
            assertThat(bash.exitCode()).as(bash.output()).isZero();
            assertThat(bash.output()).contains("-F _complete_auto-rebuild auto-rebuild").contains("quit", "stop", "redeploy", "status", "reload");
        } finally {
            java.nio.file.Files.deleteIfExists(script);
        }
    }

    @Test
    void parse_badDuration_saysWhatToWrite() {
        assertThatThrownBy(() -> CommandLine.populateCommand(new AutoRebuildCommand(), "--quiet-period", "fast"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("'fast' is not a duration; write e.g. 500ms");
    }
}
