package dev.autorebuild.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The launcher's own reading of the plain background start, against picocli's reading of the same words. */
class PlainStartArgsTest {
    @Test
    void thePlainStart_isReadAsPicocliReadsIt() {
        for (List<String> plain : List.of(
                List.<String>of(),
                List.of("-t", "examples/docker-project"),
                List.of("--target", "/tmp/ws"),
                List.of("-c", "conf/dab.yml"),
                List.of("-t", "/tmp/ws", "-c", "/tmp/other.yml"),
                List.of("--config", "dab.yml", "--target", "ws"))) {
            String[] args = plain.toArray(String[]::new);
            Optional<AutoRebuildCommand> read = PlainStartArgs.parse(args);
            AutoRebuildCommand byPicocli = CommandLine.populateCommand(new AutoRebuildCommand(), args);
            assertThat(read).as(String.join(" ", plain)).isPresent();
            assertThat(read.get().target).as(String.join(" ", plain)).isEqualTo(byPicocli.target);
            assertThat(read.get().config).as(String.join(" ", plain)).isEqualTo(byPicocli.config);
            assertThat(read.get().foreground || read.get().checkConfig || read.get().detached || read.get().signal != null)
                    .as("nothing else set").isFalse();
            assertThat(AutoRebuildCommand.needsRuntime(args)).as("picocli agrees it is no daemon").isFalse();
        }
    }

    @Test
    void anyOtherForm_isLeftToPicocli() {
        for (List<String> other : List.of(
                List.of("-t"),
                List.of("-t", "-c"),
                List.of("-t", "/tmp/ws", "-t", "/tmp/other"),
                List.of("-c", "a.yml", "--config", "b.yml"),
                List.of("-t", "/tmp/ws", "-f"),
                List.of("-f", "-t"),
                List.of("-s", "status"),
                List.of("--check-config", "-t"),
                List.of("-t", "/tmp/ws", "--quiet-period", "1s"),
                List.of("-h", "-t"),
                List.of("-t/tmp/ws"),
                List.of("--target=/tmp/ws"),
                List.of("-t", ""),
                List.of("redeploy", "web"),
                List.of("-t", "/tmp/ws", "-c", "dab.yml", "-f", "x"))) {
            assertThat(PlainStartArgs.parse(other.toArray(String[]::new))).as(String.join(" ", other)).isEmpty();
        }
    }
}
