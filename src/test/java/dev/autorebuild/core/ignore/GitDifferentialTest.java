package dev.autorebuild.core.ignore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matcher must agree with git itself: random trees and random pattern files (seeded, so a
 * failure reproduces), each path asked of {@code git check-ignore --no-index}.
 */
class GitDifferentialTest {
    private static final String[] NAMES = {"a", "b", "ab", "a.txt", "b.log", "c.md", "x", "build", "keep.log", "deep", "Foo", "[x]",
            "#x", "!x", "x ", "a b", "z"};
    private static final String[] PATTERNS = {
            "*.log", "!keep.log", "a", "/a", "a/", "/b/", "build/", "**/deep", "deep/**", "a/**/x", "*.txt", "!*.txt",
            "?", "[ab]", "[!a]", "b/*", "*/x", "x/", "!x", "**/a.txt", "/deep/b", "ab*", "\\[x]", "*", "!build/",
            "# comment", "", "c.md ", "Foo", "a/b/", "!a/", "**", "deep/*/a", "[a-b]*",
            // the hard cases: escapes, trailing spaces, classes, and every form of **
            "\\#x", "\\!x", "x\\ ", "a\\ b", "[a-z]", "[!a-z]", "[[:alpha:]]*", "[^x]*", "a/**/", "/**", "**/", "/**/a",
            "a/**/b/", "deep/", "!deep/a", "*.md", "!c.md", "/*", "*/", "ab?", "?b",
            // matched by comparing strings (GlobMatch): a name, an extension, a name's start, anchored or not
            "/*.log", "/ab*", "!ab/", "/a.txt", "deep/b", "*b", "!*b", "x*", "/x*/", "*.log/", "/de*", "!deep/",
            // re-inclusions, including ones git refuses because a parent folder is excluded
            "!a", "!b.log", "!ab", "!deep", "!*.md", "!Foo", "!z", "!a b", "!**/x"};

    @Test
    void matcher_agreesWithGitCheckIgnore(@TempDir Path dir) throws Exception {
        Random random = new Random(20261126);
        int ignoredSeen = 0;
        int reincludedSeen = 0;
        int deeperFileDecided = 0;
        for (int round = 0; round < 60; round++) {
            Path repo = Files.createDirectories(dir.resolve("r" + round));
            run(repo, "git", "init", "-q");
            Set<String> files = randomTree(random);
            for (String f : files) {
                Path p = repo.resolve(f);
                Files.createDirectories(p.getParent());
                Files.writeString(p, "x");
            }
            // a root .gitignore, and sometimes a deeper one that overrides it
            List<IgnoreFile> ignoreFiles = new ArrayList<>();
            List<String> bases = new ArrayList<>(List.of(""));
            String deeper = files.iterator().next();
            if (deeper.contains("/") && random.nextInt(4) != 0) {
                bases.add(deeper.substring(0, deeper.indexOf('/')));
            }
            for (String base : bases) {
                List<String> lines = new ArrayList<>();
                for (int i = 0, n = 2 + random.nextInt(6); i < n; i++) {
                    lines.add(PATTERNS[random.nextInt(PATTERNS.length)]);
                }
                String text = String.join("\n", lines) + "\n";
                String source = base.isEmpty() ? ".gitignore" : base + "/.gitignore";
                Files.writeString(repo.resolve(source), text);
                ignoreFiles.add(IgnoreFile.parse(base, source, text));
            }
            Map<String, String> git = gitVerdicts(repo, files);
            IgnoreRules ours = new IgnoreRules(ignoreFiles);
            for (String path : files) {
                Optional<GitignorePattern> deciding = ours.decidingPattern(path, false);
                String verdict = deciding.map(p -> p.source() + ":" + p.line() + ":" + p.text()).orElse("::");
                boolean ignored = deciding.isPresent() && !deciding.get().negated();
                String gitVerdict = git.get(path);
                assertThat(ignored).as("round %d, files %s, path '%s': git says %s", round, ignoreFiles, path, gitVerdict)
                        .isEqualTo(!gitVerdict.equals("::") && !gitVerdict.split(":", 3)[2].startsWith("!"));
                assertThat(verdict).as("round %d, path '%s': the deciding line, as git check-ignore -v prints it", round, path)
                        .isEqualTo(gitVerdict);
                ignoredSeen += ignored ? 1 : 0;
                reincludedSeen += deciding.isPresent() && deciding.get().negated() ? 1 : 0;
                deeperFileDecided += deciding.isPresent() && !deciding.get().source().equals(".gitignore") ? 1 : 0;
            }
        }
        // the seeded cases really exercise exclusion, re-inclusion and nested files
        assertThat(ignoredSeen).isGreaterThan(300);
        assertThat(reincludedSeen).isGreaterThan(20);
        assertThat(deeperFileDecided).isGreaterThan(20);
    }

    private static Set<String> randomTree(Random random) {
        Set<String> files = new TreeSet<>();
        for (int i = 0; i < 40; i++) {
            int depth = 1 + random.nextInt(4);
            StringBuilder path = new StringBuilder();
            for (int d = 0; d < depth; d++) {
                if (d > 0) {
                    path.append('/');
                }
                path.append(NAMES[random.nextInt(NAMES.length)]);
            }
            files.add(path.toString());
        }
        // a name used both as a file and as a folder is impossible on disk: keep the deepest use
        Set<String> prefixes = new HashSet<>();
        for (String f : files) {
            for (int i = f.indexOf('/'); i >= 0; i = f.indexOf('/', i + 1)) {
                prefixes.add(f.substring(0, i));
            }
        }
        files.removeAll(prefixes);
        return files;
    }

    /** What {@code git check-ignore -v -n} says of each path: {@code source:line:pattern}, or {@code ::} when no line matches. */
    private static Map<String, String> gitVerdicts(Path repo, Set<String> paths) throws IOException, InterruptedException {
        dev.autorebuild.support.Command git = dev.autorebuild.support.Command.runSplit(java.time.Duration.ofMinutes(1),
                List.of("git", "-c", "core.quotePath=false", "check-ignore", "--no-index", "-v", "-n", "--stdin"), repo,
                String.join("\n", paths) + "\n");
        String out = git.output();
        assertThat(git.exitCode()).as("git check-ignore failed: %s", git.errors()).isIn(0, 1);
        Map<String, String> verdicts = new HashMap<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                int tab = line.lastIndexOf('\t');
                String path = line.substring(tab + 1);
                verdicts.put(path.startsWith("\"") ? path.substring(1, path.length() - 1) : path, line.substring(0, tab));
            }
        }
        assertThat(verdicts.keySet()).as("git answered for every path").containsExactlyInAnyOrderElementsOf(paths);
        return verdicts;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        dev.autorebuild.support.Command run = dev.autorebuild.support.Command.run(java.time.Duration.ofMinutes(1), List.of(command), dir);
        assertThat(run.exitCode()).as(run.output()).isZero();
    }
}
