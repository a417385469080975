package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent.BuildStarted;
import dev.autorebuild.core.RebuildEvent.BuildsHeld;
import dev.autorebuild.core.RebuildEvent.BuildsResumed;
import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A real git checkout storm: builds wait for git's index.lock, then each component builds once, from the final tree. */
class GitCheckoutDockerTest extends RealEngineTest {

    @Test
    void switchingBetweenBranchesThatDifferIn2000Files_buildsEachComponentOnce_fromTheFinalTree() throws Exception {
        // A short debounce, so that without the hold the storm would close several windows and build more than once.
        ws.component("web").component("api").write("dab.yml", "debounce: {quiet-period: 10ms, max-wait: 30ms}\n");
        git("init", "-q", "-b", "one");
        git("add", "-A");
        git("commit", "-q", "-m", "one");
        git("checkout", "-q", "-b", "two");
        for (int i = 0; i < 1000; i++) {
            ws.write("web/gen/page" + i + ".html", "page " + i + "\n").write("api/gen/route" + i + ".json", "{\"route\": " + i + "}\n");
        }
        git("add", "-A");
        git("commit", "-q", "-m", "two: 2000 generated files");
        git("checkout", "-q", "one");
        startAndAwaitBuilt("web", "api");

        int mark = events.size();
        git("checkout", "-q", "two");
        awaitBothBuiltOnce(mark);
        assertThat(DockerEngine.runIn("shop-web:latest", "ls /app/gen | wc -l")).isEqualTo("1000");
        assertThat(DockerEngine.runIn("shop-api:latest", "ls /app/gen | wc -l")).isEqualTo("1000");

        int back = events.size();
        git("checkout", "-q", "one");
        awaitBothBuiltOnce(back);
        assertThat(DockerEngine.runIn("shop-web:latest", "ls /app")).doesNotContain("gen");
    }

    private void awaitBothBuiltOnce(int mark) throws IOException {
        awaitBuilt(mark, "web"); // with the digest of the final tree
        awaitBuilt(mark, "api");
        assertThat(events.since(mark, BuildsHeld.class)).isNotEmpty();
        assertThat(events.since(mark, BuildsResumed.class)).hasSize(1);
        assertThat(buildsStarted(mark, "web")).as("one build of web").isEqualTo(1);
        assertThat(buildsStarted(mark, "api")).as("one build of api").isEqualTo(1);
        assertThat(events.since(mark, BuildStarted.class)).hasSize(2);
    }

    private void git(String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 5];
        command[0] = "git";
        command[1] = "-c";
        command[2] = "user.name=test";
        command[3] = "-c";
        command[4] = "user.email=test@example.invalid";
        System.arraycopy(args, 0, command, 5, args.length);
        dev.autorebuild.support.Command git = dev.autorebuild.support.Command.run(java.time.Duration.ofMinutes(2), List.of(command), ws.root());
        assertThat(git.exitCode()).as("git %s: %s", String.join(" ", args), git.output()).isZero();
    }
}
