package dev.autorebuild.core.ignore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DockerignoreMatcherTest {
    @Test
    void patterns_areAnchoredAtTheContextRoot() {
        DockerignoreMatcher m = DockerignoreMatcher.parse("*.md\n");
        assertThat(m.excludes("README.md")).isTrue();
        assertThat(m.excludes("docs/README.md")).isFalse(); // unlike gitignore
    }

    @Test
    void doubleStar_andFolders() {
        DockerignoreMatcher m = DockerignoreMatcher.parse("**/*.tmp\nnode_modules\n/dist/\n");
        assertThat(m.excludes("a.tmp")).isTrue();
        assertThat(m.excludes("x/y/a.tmp")).isTrue();
        assertThat(m.excludes("node_modules/lib/index.js")).isTrue();
        assertThat(m.excludes("dist/app.js")).isTrue();
        assertThat(m.excludes("src/app.js")).isFalse();
    }

    @Test
    void exceptions_lastMatchWins_evenInsideAnExcludedFolder() {
        DockerignoreMatcher m = DockerignoreMatcher.parse("logs\n!logs/keep.txt\n*.md\n!README.md\n");
        assertThat(m.excludes("logs/a.txt")).isTrue();
        assertThat(m.excludes("logs/keep.txt")).isFalse();
        assertThat(m.excludes("NOTES.md")).isTrue();
        assertThat(m.excludes("README.md")).isFalse();
        assertThat(m.hasExceptions()).isTrue();
    }

    @Test
    void commentsAndCleanedPaths() {
        DockerignoreMatcher m = DockerignoreMatcher.parse("# c\n  ./tmp//x/  \n");
        assertThat(m.excludes("tmp/x/file")).isTrue();
        assertThat(DockerignoreMatcher.clean("a/../b/./c/")).isEqualTo("b/c");
    }

    @Test
    void triggerFilter_combinesAllThree_andAlwaysCountsTheDockerfile() {
        TriggerFilter filter = new TriggerFilter(
                new IgnoreRules(java.util.List.of(BuiltinIgnores.FILE, IgnoreFile.parse("", ".dabignore", "*.log\n"))),
                java.util.Map.of("web", ComponentScope.plain("web", DockerignoreMatcher.parse("*.md\nDockerfile\n"), true)),
                dev.autorebuild.core.ignore.TriggerPaths.NONE);
        assertThat(filter.whyIgnored("web", "web/a.log", false)).hasValue(".dabignore:1:*.log");
        assertThat(filter.whyIgnored("web", "web/NOTES.md", false)).hasValue("web/.dockerignore:1:*.md");
        assertThat(filter.whyIgnored("web", "web/docs/NOTES.md", false)).as("Docker anchors *.md at the context root").isEmpty();
        assertThat(filter.whyIgnored("web", "web/index.html.swp", false)).hasValue("<built-in>:5:*.swp");
        assertThat(filter.triggers("web", "web/Dockerfile", false)).isTrue();
        assertThat(filter.triggers("web", "web/index.html", false)).isTrue();
        assertThat(filter.triggers("api", "api/NOTES.md", false)).isTrue();
    }
}
