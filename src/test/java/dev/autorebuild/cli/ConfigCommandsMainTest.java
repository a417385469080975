package dev.autorebuild.cli;

import dev.autorebuild.support.TestWorkspace;
import io.quarkus.test.junit.main.LaunchResult;
import io.quarkus.test.junit.main.QuarkusMainLauncher;
import io.quarkus.test.junit.main.QuarkusMainTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** --check-config and check-ignore on real files, through the real command line. */
@QuarkusMainTest
class ConfigCommandsMainTest {
    @TempDir
    Path dir;

    private TestWorkspace workspace() throws Exception {
        return new TestWorkspace(dir).component("web").component("api")
                .write(".dabignore", "# noise\n*.log\n")
                .write("web/.dockerignore", "*.md\n")
                .write("dab.yml", "blacklist:\n  - \"api/generated/\"\n");
    }

    @Test
    void checkConfig_sayingOk_andWhatItWouldWatch(QuarkusMainLauncher launcher) throws Exception {
        workspace();
        LaunchResult result = launcher.launch("--check-config", "-t", dir.toString());
        assertThat(result.exitCode()).isZero();
        assertThat(result.getOutput()).contains("dab.yml: OK", "components: api, web");
    }

    @Test
    void checkConfig_reportsEachProblemWithItsPlace_andStartsNothing(QuarkusMainLauncher launcher) throws Exception {
        workspace().write("dab.yml", "build:\n  paralelism: 3\n");
        LaunchResult check = launcher.launch("--check-config", "-t", dir.toString());
        assertThat(check.exitCode()).isEqualTo(1);
        assertThat(check.getErrorOutput()).contains(dir.resolve("dab.yml") + ":2:3: unknown key 'paralelism' in build; did you mean 'parallelism'?");

        assertThat(dir.resolve(".dab")).as("a check starts nothing").doesNotExist();
    }

    @Test
    void checkIgnore_answersLikeGitCheckIgnoreVerbose(QuarkusMainLauncher launcher) throws Exception {
        workspace();
        LaunchResult result = launcher.launch("check-ignore", "-t", dir.toString(), "-n",
                dir.resolve("web/debug.log").toString(), dir.resolve("web/NOTES.md").toString(),
                dir.resolve("web/index.html").toString(), dir.resolve("api/generated/x.ts").toString(),
                dir.resolve("web/.index.html.swp").toString(), dir.resolve("README.md").toString());
        assertThat(result.exitCode()).as("some paths are ignored").isZero();
        assertThat(result.getOutput().lines()).containsExactly(
                ".dabignore:2:*.log\t" + dir.resolve("web/debug.log"),
                "web/.dockerignore:1:*.md\t" + dir.resolve("web/NOTES.md"),
                "::\t" + dir.resolve("web/index.html"),
                "dab.yml:2:api/generated/\t" + dir.resolve("api/generated/x.ts"),
                "<built-in>:5:*.swp\t" + dir.resolve("web/.index.html.swp"),
                "<no component>:0:\t" + dir.resolve("README.md"));
    }

    @Test
    void checkIgnore_exitsOneWhenNothingIsIgnored_and128ForAPathOutsideTheWorkspace(QuarkusMainLauncher launcher) throws Exception {
        workspace();
        LaunchResult none = launcher.launch("check-ignore", "-t", dir.toString(), dir.resolve("web/index.html").toString());
        assertThat(none.exitCode()).isEqualTo(1);
        assertThat(none.getOutput()).isEmpty();
        LaunchResult outside = launcher.launch("check-ignore", "-t", dir.toString(), "/etc/hostname");
        assertThat(outside.exitCode()).isEqualTo(128);
        assertThat(outside.getErrorOutput()).contains("fatal: /etc/hostname is outside the workspace " + dir);
    }
}
