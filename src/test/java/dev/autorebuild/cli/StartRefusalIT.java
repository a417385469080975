package dev.autorebuild.cli;

import dev.autorebuild.support.Command;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A start the daemon refuses. The launcher starts its daemon without reading the configuration or
 * asking the engine first; the daemon checks both, and the launcher prints the daemon's reason as its
 * own (not as a log's tail), exits 1, and nothing watches or builds.
 */
class StartRefusalIT extends DaemonProcessTest {

    @Test
    void anInvalidDabYml_isRefusedWithEachProblemsPlace_andTheFixedOneStarts() throws Exception {
        ws.write("dab.yml", "build:\n  paralelism: 3\n");
        PackagedApp.Result refused = app.runLauncher(dir, "-t", ws.root().toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).as(refused.toString())
                .contains("auto-rebuild: the configuration is invalid; nothing was started:\n"
                        + ws.root().resolve("dab.yml") + ":2:3: unknown key 'paralelism' in build; did you mean 'parallelism'?")
                .doesNotContain("last lines of", "ended while starting");
        assertThat(logText()).as("the daemon's log says it too").contains(":2:3: unknown key 'paralelism'");
        assertNothingWatches();

        ws.write("dab.yml", "build:\n  parallelism: 3\n");
        PackagedApp.Result fixed = app.runLauncher(dir, "-t", ws.root().toString());
        assertThat(fixed.exitCode()).as("the earlier refusal is not taken for this start's: %s", fixed).isZero();
        pidOf(fixed);
        assertThat(ws.root().resolve(".dab/start-refused")).as("cleared by the start").doesNotExist();
    }

    @Test
    void aCommandLineOptionTheDaemonRefusesAfterItsBoot_isReportedTheSameWay() throws Exception {
        PackagedApp.Result refused = app.runLauncher(dir, "-t", ws.root().toString(), "--parallel-builds", "0");
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).as(refused.toString())
                .contains("auto-rebuild: the configuration is invalid; nothing was started:\n"
                        + "command line: --parallel-builds must be at least 1, got 0 (over defaults)")
                .doesNotContain("last lines of");
        assertNothingWatches();
    }

    @Test
    void anEngineThatCannotBeChosen_isRefusedByTheDaemon_inOneLine() throws Exception {
        PackagedApp.Result refused = app.runLauncherWith(Map.of("DOCKER_CONTEXT", "no-such-context"), dir, "-t", ws.root().toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        // the first start after a build of the application also says it prepares faster starts
        java.util.List<String> said = refused.err().lines().filter(line -> !line.startsWith("auto-rebuild: preparing faster starts")).toList();
        assertThat(said).as(refused.toString()).hasSize(1);
        assertThat(said.get(0)).startsWith("auto-rebuild: the Docker context 'no-such-context' (DOCKER_CONTEXT) does not exist")
                .endsWith("nothing was started");
        assertNothingWatches();
    }

    @Test
    void twoStartsAtOnce_oneWatches_andTheOtherSaysWhichDaemonDoes() throws Exception {
        // both launchers find the lock free well before either daemon takes it (a second later), so the
        // loser is a daemon, whose refusal its launcher must print as it prints its own
        ExecutorService starts = Executors.newFixedThreadPool(2);
        try {
            Future<PackagedApp.Result> first = starts.submit(() -> app.runLauncher(dir, "-t", ws.root().toString()));
            Future<PackagedApp.Result> second = starts.submit(() -> app.runLauncher(dir, "-t", ws.root().toString()));
            List<PackagedApp.Result> both = List.of(first.get(), second.get());
            assertThat(both).as("exactly one watches: %s", both).filteredOn(r -> r.exitCode() == 0).hasSize(1);
            PackagedApp.Result watching = both.stream().filter(r -> r.exitCode() == 0).findFirst().orElseThrow();
            PackagedApp.Result refused = both.stream().filter(r -> r.exitCode() != 0).findFirst().orElseThrow();
            assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
            assertThat(refused.err()).as(refused.toString()).contains(ws.root() + " is already watched by ")
                    .doesNotContain("last lines of", "ended while starting");
            assertThat(Command.run(Duration.ofSeconds(30), "pgrep", "-f", "--", "-t " + ws.root() + " --foreground").output().strip())
                    .as("one daemon runs: the one that watches").isEqualTo(Long.toString(pidOf(watching)));
        } finally {
            starts.shutdownNow();
        }
    }

    private void assertNothingWatches() throws Exception {
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).doesNotExist();
        assertThat(Command.run(Duration.ofSeconds(30), "pgrep", "-fa", "--", "-t " + ws.root() + " --foreground").output()).as("no daemon runs").isBlank();
        assertThat(DockerEngine.cli("images", "-q", "demo-web")).as("nothing was built").isEmpty();
        assertThat(Path.of(ws.root() + "/.dab/auto-rebuild.lock")).as("the lock is taken only by a daemon that watches").doesNotExist();
    }
}
