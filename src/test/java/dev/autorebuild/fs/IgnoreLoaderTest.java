package dev.autorebuild.fs;

import dev.autorebuild.config.ConfigReader;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules read from a real workspace: .gitignore only when asked, scopes from the configuration. */
class IgnoreLoaderTest {
    @TempDir
    Path dir;

    private DabConfig config(String yaml) {
        return ((ConfigReader.Loaded) ConfigReader.parse("dab.yml", yaml, dir)).config();
    }

    @Test
    void gitignoreFiles_countOnlyWhenConfigured_atAnyDepth() throws Exception {
        new TestWorkspace(dir).component("web").write(".gitignore", "*.gen\n").write("web/src/.gitignore", "cache/\n");
        TriggerFilter without = IgnoreLoader.load(dir, List.of("web"), config(""));
        assertThat(without.whyIgnored("web", "web/a.gen", false)).isEmpty();

        TriggerFilter with = IgnoreLoader.load(dir, List.of("web"), config("ignore: {gitignore: true}\n"));
        assertThat(with.whyIgnored("web", "web/a.gen", false)).contains(".gitignore:1:*.gen");
        assertThat(with.whyIgnored("web", "web/src/cache/x", false)).contains("web/src/.gitignore:1:cache/");
        assertThat(with.whyIgnored("web", "web/cache/x", false)).as("a nested .gitignore applies under its folder only").isEmpty();
    }

    @Test
    void aComponentScope_followsItsContextDockerfileAndWatchedPaths() throws Exception {
        new TestWorkspace(dir).write("api/docker/Dockerfile", "FROM busybox:stable\n").write(".dockerignore", "docs/\n");
        TriggerFilter filter = IgnoreLoader.load(dir, List.of("api"),
                config("components:\n  api: {dockerfile: docker/Dockerfile, context: .., watch: [../specs]}\n"));
        var scope = filter.scope("api");
        assertThat(scope.context()).isEmpty();
        assertThat(scope.dockerfileInContext()).isEqualTo("api/docker/Dockerfile");
        assertThat(scope.dockerignoreSource()).contains(".dockerignore");
        assertThat(scope.roots()).containsExactly("");
        assertThat(filter.whyIgnored("api", "docs/guide.md", false)).contains(".dockerignore:1:docs/");
        assertThat(filter.triggers("api", "shared/lib.go", false)).as("the whole workspace is its context").isTrue();
        assertThat(filter.componentsCovering("specs/api.yaml")).containsExactly("api");
    }

    @Test
    void anOversizedIgnoreFile_isRefusedWithAMessage_notReadIntoMemory() throws Exception {
        new TestWorkspace(dir).component("web").write(".dabignore", "*.log\n".repeat(300_000));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IgnoreLoader.load(dir, List.of("web"), config("")))
                .isInstanceOf(java.io.IOException.class)
                .hasMessage(dir.resolve(".dabignore") + " is 1757 KiB; ignore files over 1024 KiB are refused (the rules in force stay)");
    }
}
