package dev.autorebuild.cli;

import dev.autorebuild.support.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The man page: rendered by the system's own groff without a warning, holding every option, and the committed copy current. */
class ManPageCommandTest {
    private final String page = ManPageCommand.render(new CommandLine(new AutoRebuildCommand()).getCommandSpec());

    @Test
    void groffRendersIt_withoutAWarning_andItListsEveryOptionAndCommand(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("auto-rebuild.1"), page);

        Command lint = Command.runSplit(Duration.ofMinutes(1), List.of("groff", "-man", "-Tutf8", "-ww", "-z", file.toString()), dir, "");
        assertThat(lint.errors()).as("groff's warnings").isEmpty();
        assertThat(lint.exitCode()).isZero();
        String shown = Command.runSplit(Duration.ofMinutes(1), List.of("groff", "-man", "-Tutf8", "-P", "-c", "-P", "-b", "-P", "-u",
                file.toString()), dir, "").output()
                .replaceAll("\u2010\n\\s*", "") // a word groff hyphenated at a line's end
                .replaceAll("\\s+", " "); // justified and wrapped: compare the words

        // written out by hand: what a user must find in `man auto-rebuild`
        assertThat(shown).contains("auto-rebuild - Watches a workspace of Docker components",
                "-t, --target DIR", "-f, --foreground", "-s, --signal COMMAND", "quit, stop, redeploy, status, reload",
                "-c, --config FILE", "--check-config", "--quiet-period DURATION", "--max-wait DURATION", "--parallel-builds N",
                "--quit-timeout DURATION", "check-ignore", "completion", "manpage", "3 no daemon is running")
                .doesNotContain("--detached");
    }

    @Test
    void theCommittedManPage_isTheOneTheHelpMakesToday() throws Exception {
        assertThat(Files.readString(Path.of("docs/auto-rebuild.1")))
                .as("docs/auto-rebuild.1 is stale: regenerate it with bin/auto-rebuild manpage > docs/auto-rebuild.1").isEqualTo(page);
    }
}
