package dev.autorebuild.core.ignore;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class IgnoreRulesTest {
    private static IgnoreRules rules(String text) {
        return new IgnoreRules(List.of(IgnoreFile.parse("", ".dabignore", text)));
    }

    @Test
    void star_andQuestionMark_matchWithinASegmentAtAnyDepth() {
        IgnoreRules r = rules("*.png\nfile?.txt\n");
        assertThat(r.isIgnored("my.png", false)).isTrue();
        assertThat(r.isIgnored("img/deep/my.png", false)).isTrue();
        assertThat(r.isIgnored("file1.txt", false)).isTrue();
        assertThat(r.isIgnored("file12.txt", false)).isFalse();
        assertThat(r.isIgnored("my.png.bak", false)).isFalse();
    }

    @Test
    void slashInPattern_anchorsItToTheFilesFolder() {
        IgnoreRules r = rules("img/*\n/root.txt\n");
        assertThat(r.isIgnored("img/my.png", false)).isTrue();
        assertThat(r.isIgnored("web/img/my.png", false)).isFalse();
        assertThat(r.isIgnored("root.txt", false)).isTrue();
        assertThat(r.isIgnored("sub/root.txt", false)).isFalse();
    }

    @Test
    void doubleStar_spansFolders() {
        IgnoreRules r = rules("**/cache\nlogs/**\na/**/b\n");
        assertThat(r.isIgnored("cache", true)).isTrue();
        assertThat(r.isIgnored("x/y/cache", false)).isTrue();
        assertThat(r.isIgnored("logs/x/y.txt", false)).isTrue();
        assertThat(r.isIgnored("logs", true)).isFalse();
        assertThat(r.isIgnored("a/b", false)).isTrue();
        assertThat(r.isIgnored("a/x/y/b", false)).isTrue();
    }

    @Test
    void trailingSlash_matchesFoldersOnly_andEverythingInThem() {
        IgnoreRules r = rules("build/\n");
        assertThat(r.isIgnored("build", false)).isFalse();
        assertThat(r.isIgnored("build", true)).isTrue();
        assertThat(r.isIgnored("web/build/out.js", false)).isTrue();
    }

    @Test
    void negation_reIncludes_butNotInsideAnExcludedFolder() {
        IgnoreRules r = rules("*.log\n!keep.log\nout/\n!out/important.txt\n");
        assertThat(r.isIgnored("a.log", false)).isTrue();
        assertThat(r.isIgnored("keep.log", false)).isFalse();
        assertThat(r.isIgnored("out/important.txt", false)).isTrue();
    }

    @Test
    void commentsBlankLinesEscapesAndTrailingSpaces() {
        IgnoreRules r = rules("# comment\n\n\\#hash\n\\!bang\ntrail   \nspace\\ \n");
        assertThat(r.isIgnored("# comment", false)).isFalse();
        assertThat(r.isIgnored("#hash", false)).isTrue();
        assertThat(r.isIgnored("!bang", false)).isTrue();
        assertThat(r.isIgnored("trail", false)).isTrue();
        assertThat(r.isIgnored("space ", false)).isTrue();
    }

    @Test
    void brackets_rangesAndNegation() {
        IgnoreRules r = rules("[a-c].txt\n[!x-z].md\n");
        assertThat(r.isIgnored("b.txt", false)).isTrue();
        assertThat(r.isIgnored("d.txt", false)).isFalse();
        assertThat(r.isIgnored("a.md", false)).isTrue();
        assertThat(r.isIgnored("y.md", false)).isFalse();
    }

    @Test
    void deeperFile_overridesAHigherOne() {
        IgnoreRules r = new IgnoreRules(List.of(
                IgnoreFile.parse("", ".dabignore", "*.txt\n"),
                IgnoreFile.parse("web", "web/.dabignore", "!notes.txt\n")));
        assertThat(r.isIgnored("web/notes.txt", false)).isFalse();
        assertThat(r.isIgnored("api/notes.txt", false)).isTrue();
        assertThat(r.decidingPattern("api/notes.txt", false)).get()
                .satisfies(p -> assertThat(p.source() + ":" + p.line() + ":" + p.text()).isEqualTo(".dabignore:1:*.txt"));
    }

    @Test
    void builtins_coverEditorAndVcsNoise() {
        IgnoreRules r = new IgnoreRules(List.of(BuiltinIgnores.FILE));
        for (String noise : new String[]{".git/index", "web/.index.html.swp", "web/index.html~", "web/4913",
                "web/#index.html#", "web/.#index.html", "web/index.html___jb_tmp___", "web/.DS_Store", ".dab/auto-rebuild.log"}) {
            assertThat(r.isIgnored(noise, false)).as(noise).isTrue();
        }
        assertThat(r.isIgnored("web/index.html", false)).isFalse();
    }
}
