package dev.autorebuild.core.ignore;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The matcher must agree with git itself: random trees and random pattern files (seeded, so a
 * failure reproduces), each path asked of {@code git check-ignore --no-index}.
 */
class GitDifferentialTest {
    private static final String[] NAMES = {"a", "b", "ab", "a.txt", "b.log", "c.md", "x", "build", "keep.log", "deep", "Foo", "[x]"};
    private static final String[] PATTERNS = {
            "*.log", "!keep.log", "a", "/a", "a/", "/b/", "build/", "**/deep", "deep/**", "a/**/x", "*.txt", "!*.txt",
            "?", "[ab]", "[!a]", "b/*", "*/x", "x/", "!x", "**/a.txt", "/deep/b", "ab*", "\\[x]", "*", "!build/",
            "# comment", "", "c.md ", "Foo", "a/b/", "!a/", "**", "deep/*/a", "[a-b]*"};

    @Test
    void matcher_agreesWithGitCheckIgnore(@TempDir Path dir) throws Exception {
        Random random = new Random(20261126);
        for (int round = 0; round < 12; round++) {
            Path repo = Files.createDirectories(dir.resolve("r" + round));
            run(repo, "git", "init", "-q");
            List<String> lines = new ArrayList<>();
            for (int i = 0, n = 2 + random.nextInt(6); i < n; i++) {
                lines.add(PATTERNS[random.nextInt(PATTERNS.length)]);
            }
            String text = String.join("\n", lines) + "\n";
            Files.writeString(repo.resolve(".gitignore"), text);
            Set<String> files = randomTree(random);
            for (String f : files) {
                Path p = repo.resolve(f);
                Files.createDirectories(p.getParent());
                if (!Files.isDirectory(p)) {
                    Files.writeString(p, "x");
                }
            }
            Set<String> paths = new TreeSet<>();
            for (String f : files) {
                if (Files.isRegularFile(repo.resolve(f))) {
                    paths.add(f);
                }
            }
            Set<String> gitIgnored = gitIgnored(repo, paths);
            IgnoreRules ours = new IgnoreRules(List.of(IgnoreFile.parse("", ".gitignore", text)));
            for (String path : paths) {
                assertThat(ours.isIgnored(path, false))
                        .as("round %d, patterns %s, path %s", round, lines, path)
                        .isEqualTo(gitIgnored.contains(path));
            }
        }
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

    private static Set<String> gitIgnored(Path repo, Set<String> paths) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("git", "check-ignore", "--no-index", "--stdin").directory(repo.toFile()).start();
        p.getOutputStream().write((String.join("\n", paths) + "\n").getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        assertThat(code).as("git check-ignore failed: %s", err).isIn(0, 1);
        Set<String> ignored = new HashSet<>();
        for (String line : out.split("\n")) {
            if (!line.isBlank()) {
                ignored.add(line.startsWith("\"") ? line.substring(1, line.length() - 1) : line);
            }
        }
        return ignored;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
    }
}
