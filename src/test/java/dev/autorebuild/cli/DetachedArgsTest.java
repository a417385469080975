package dev.autorebuild.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's own reading of the command line its launcher gives it, against picocli's reading of the same. */
class DetachedArgsTest {
    @Test
    void whatTheLauncherGivesItsDaemon_isReadAsPicocliReadsIt() {
        AutoRebuildCommand typed = CommandLine.populateCommand(new AutoRebuildCommand(),
                "-t", "examples/docker-project", "-c", "conf/dab.yml", "--quiet-period", "300ms", "--max-wait", "5s",
                "--parallel-builds", "2", "--quit-timeout", "9s");
        Path workspace = Path.of("examples/docker-project").toAbsolutePath().normalize();
        String[] daemonArgs = typed.daemonArguments(workspace).toArray(String[]::new);

        Optional<DetachedArgs> read = DetachedArgs.parse(daemonArgs);
        AutoRebuildCommand byPicocli = CommandLine.populateCommand(new AutoRebuildCommand(), daemonArgs);
        assertThat(read).isPresent();
        assertThat(read.get().workspace()).isEqualTo(byPicocli.target.toAbsolutePath().normalize()).isEqualTo(workspace);
        assertThat(read.get().config()).contains(byPicocli.config).contains(Path.of("conf/dab.yml").toAbsolutePath().normalize());
        assertThat(AutoRebuildCommand.needsRuntime(daemonArgs)).as("picocli agrees it is the daemon").isTrue();
    }

    @Test
    void withoutAConfigFile_thereIsNone() {
        AutoRebuildCommand typed = CommandLine.populateCommand(new AutoRebuildCommand(), "-t", "/tmp/ws");
        Optional<DetachedArgs> read = DetachedArgs.parse(typed.daemonArguments(Path.of("/tmp/ws")).toArray(String[]::new));
        assertThat(read).contains(new DetachedArgs(Path.of("/tmp/ws"), Optional.empty(), java.util.OptionalInt.empty()));
    }

    @Test
    void theFormBinAutoRebuildGivesItsDaemon_withItsReportPipe_isReadAsPicocliReadsIt() {
        String[] daemonArgs = {"-t", "/tmp/ws", "--foreground", "--detached", "--report-fd", "3", "-c", "/tmp/conf/dab.yml"};
        Optional<DetachedArgs> read = DetachedArgs.parse(daemonArgs);
        AutoRebuildCommand byPicocli = CommandLine.populateCommand(new AutoRebuildCommand(), daemonArgs);
        assertThat(read).contains(new DetachedArgs(Path.of("/tmp/ws"), Optional.of(Path.of("/tmp/conf/dab.yml")), java.util.OptionalInt.of(3)));
        assertThat(byPicocli.reportFd).isEqualTo(3);
        assertThat(byPicocli.config).isEqualTo(Path.of("/tmp/conf/dab.yml"));
        assertThat(AutoRebuildCommand.needsRuntime(daemonArgs)).as("picocli agrees it is the daemon").isTrue();
    }

    @Test
    void anyOtherForm_isLeftToPicocli() {
        for (List<String> other : List.of(
                List.of("-t", "/tmp/ws", "-f"),
                List.of("-t", "/tmp/ws", "--foreground"),
                List.of("-s", "status", "-t", "/tmp/ws"),
                List.of("-t", "/tmp/ws", "--foreground", "--detached", "--check-config"),
                List.of("-t", "/tmp/ws", "--foreground", "--detached", "-c"),
                List.of("-t", "/tmp/ws", "--foreground", "--detached", "--report-fd", "three"),
                List.of("-t", "/tmp/ws", "--detached", "--foreground"),
                List.of("--foreground", "--detached"))) {
            assertThat(DetachedArgs.parse(other.toArray(String[]::new))).as(String.join(" ", other)).isEmpty();
        }
    }
}
