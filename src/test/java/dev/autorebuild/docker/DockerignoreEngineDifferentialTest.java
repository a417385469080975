package dev.autorebuild.docker;

import dev.autorebuild.core.Labels;
import dev.autorebuild.core.ignore.DockerignoreMatcher;
import dev.autorebuild.support.Command;
import dev.autorebuild.support.DockerEngine;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What we send for a {@code .dockerignore} must be what Docker itself keeps: random trees and random
 * ignore files (seeded, so a failure reproduces), each built by the Docker CLI, which applies the file
 * with moby's own matcher before it sends the context, and the image's files compared with the files
 * our build context holds. The oracle is the image, never our matcher.
 *
 * <p>The CLI must be a current one (23 or later: moby's patternmatcher, as Docker Desktop and
 * docker-ce ship it; this machine kind has 28.x first on PATH). Debian 12's 20.10 CLI predates it and
 * differs on one form: it reads {@code **.log} as "a file named .log at any depth", where Docker
 * today leaves out every {@code *.log} at any depth. We follow Docker today; with an older CLI the
 * random trees leave that form out, and {@code **.log} is checked against the list written here.
 */
class DockerignoreEngineDifferentialTest {
    private static final String[] NAMES = {"a", "b", "ab", "c.log", "d.txt", "keep.log", "x", "deep", "Foo", "z.md"};
    private static final String[] PATTERNS = {
            "*.log", "**.log", "!keep.log", "!**/keep.log", "a", "/a", "a/", "./b", "x/**", "!x/keep.log", "**/d.txt", "*/c.log",
            "deep/*/a", "[ab]", "?", "!deep", "deep", "Foo", "*.md", "!z.md", "**/x", "x", "!x", "*/*", "!a/*.txt", "b/**/c.log",
            "ab*", "[!a]*", "**", "!a", "# a comment", "", "deep/**/keep.log", "a/b", "!**.log"};
    private static final int TREES = 16;
    private static final String DOCKERFILE = "FROM busybox:stable\nCOPY . /ctx/\n";

    @TempDir
    Path dir;
    private final List<String> images = new ArrayList<>();

    @AfterEach
    void removeImages() throws Exception {
        for (String image : images) {
            Command.run(Duration.ofMinutes(1), "docker", "rmi", "-f", image);
        }
    }

    @Test
    void theContextWeSend_holdsWhatDockersOwnBuildPutsInTheImage() throws Exception {
        DockerEngine.client(); // fails under CI=true when no engine answers
        boolean currentMatcher = cliMajorVersion() >= 23;
        Random random = new Random(20261202);
        int excludedSeen = 0;
        int reincludedSeen = 0;
        for (int tree = 0; tree < TREES; tree++) {
            Path context = Files.createDirectories(dir.resolve("t" + tree));
            for (String file : randomTree(random)) {
                Path path = context.resolve(file);
                Files.createDirectories(path.getParent());
                Files.writeString(path, file + "\n");
            }
            String ignore = randomIgnoreFile(random, currentMatcher);
            Files.writeString(context.resolve(".dockerignore"), ignore);

            Set<String> inImage = builtByDocker(context);
            Set<String> weSend = sentByUs(context, ignore);

            assertThat(weSend).as("tree %d, .dockerignore:%n%s%nfiles: %s", tree, ignore, allFiles(context)).isEqualTo(inImage);
            excludedSeen += allFiles(context).size() - inImage.size();
            reincludedSeen += ignore.lines().anyMatch(l -> l.startsWith("!")) ? 1 : 0;
        }
        assertThat(excludedSeen).as("the trees must exclude something, or this proves nothing").isGreaterThan(TREES);
        assertThat(reincludedSeen).as("re-includes must be tried").isGreaterThan(TREES / 4);
    }

    @Test
    void aSuffixPatternWithDoubleStar_matchesAtAnyDepth_asDockerDoesToday() throws Exception {
        DockerEngine.client();
        Path context = Files.createDirectories(dir.resolve("suffix"));
        for (String file : List.of("top.log", "a/mid.log", "a/b/deep.log", "a/b/keep.txt", "log")) {
            Files.createDirectories(context.resolve(file).getParent());
            Files.writeString(context.resolve(file), "x\n");
        }
        Files.writeString(context.resolve(".dockerignore"), "**.log\n");

        // written out: every *.log gone, at any depth
        assertThat(sentByUs(context, "**.log\n")).containsExactlyInAnyOrder("a/b/keep.txt", "log");
        if (cliMajorVersion() >= 23) {
            assertThat(builtByDocker(context)).containsExactlyInAnyOrder("a/b/keep.txt", "log");
        }
    }

    @Test
    void aLoneExclamationMark_isRefused_byDockerAndByUs() throws Exception {
        DockerEngine.client();
        Path context = Files.createDirectories(dir.resolve("lone"));
        Files.writeString(context.resolve("index.html"), "x\n");
        Files.writeString(context.resolve(".dockerignore"), "*.log\n!\n");

        Command docker = build(context);

        assertThat(docker.exitCode()).as("docker refuses the file: " + docker).isNotZero();
        assertThat(docker.output() + docker.errors()).contains("illegal exclusion pattern");
        assertThat(DockerignoreMatcher.parse("*.log\n!\n").refusal()).hasValueSatisfying(why ->
                assertThat(why).startsWith("2:1: ").contains("'!'", "Docker refuses"));
        assertThat(DockerignoreMatcher.parse("*.log\n!keep.log\n").refusal()).isEmpty();
    }

    private Set<String> builtByDocker(Path context) throws Exception {
        Command built = build(context);
        assertThat(built.exitCode()).as("docker build: " + built).isZero();
        String image = built.output().strip();
        images.add(image);
        Set<String> files = new TreeSet<>(DockerEngine.filesIn(image, "/ctx").keySet());
        files.remove(".dockerignore"); // always sent to the builder; whether COPY keeps it is not the matcher's question
        return files;
    }

    private static int cliMajorVersion() throws Exception {
        String version = Command.run(Duration.ofSeconds(30), "docker", "version", "--format", "{{.Client.Version}}").output().strip();
        return Integer.parseInt(version.replaceAll("^(\\d+).*", "$1"));
    }

    private Command build(Path context) throws Exception {
        // the classic path: the CLI itself applies .dockerignore to the context it sends, with moby's matcher
        return Command.runSplit(Duration.ofMinutes(2), List.of("env", "DOCKER_BUILDKIT=0", "docker", "build", "-q",
                "--label", Labels.WORKSPACE + "=" + dir, "-f", "-", context.toString()), null, DOCKERFILE);
    }

    private static Set<String> sentByUs(Path context, String ignore) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        BuildContextTar.write(context, DockerignoreMatcher.parse(ignore), Set.of(), Set.of(), tar);
        Set<String> files = new TreeSet<>();
        try (TarArchiveInputStream entries = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
            for (TarArchiveEntry entry = entries.getNextTarEntry(); entry != null; entry = entries.getNextTarEntry()) {
                if (entry.isFile()) {
                    files.add(entry.getName());
                }
            }
        }
        files.remove(".dockerignore");
        return files;
    }

    private static Set<String> allFiles(Path context) throws IOException {
        Set<String> files = new TreeSet<>();
        try (var walk = Files.walk(context)) {
            walk.filter(Files::isRegularFile).forEach(f -> files.add(context.relativize(f).toString()));
        }
        files.remove(".dockerignore");
        return files;
    }

    private static Set<String> randomTree(Random random) {
        Set<String> files = new TreeSet<>();
        int count = 6 + random.nextInt(10);
        while (files.size() < count) {
            int depth = random.nextInt(4);
            StringBuilder path = new StringBuilder();
            for (int level = 0; level < depth; level++) {
                path.append(NAMES[random.nextInt(NAMES.length)]).append('/');
            }
            path.append(NAMES[random.nextInt(NAMES.length)]);
            String candidate = path.toString();
            // a path can't be a file and a folder at once
            boolean clashes = files.stream().anyMatch(f -> f.startsWith(candidate + "/") || candidate.startsWith(f + "/"));
            if (!clashes) {
                files.add(candidate);
            }
        }
        return files;
    }

    /** @param currentMatcher false: the CLI predates moby's patternmatcher, so "**" plus plain text, read otherwise there, is left out */
    private static String randomIgnoreFile(Random random, boolean currentMatcher) {
        StringBuilder text = new StringBuilder();
        int lines = 1 + random.nextInt(5);
        while (lines > 0) {
            String pattern = PATTERNS[random.nextInt(PATTERNS.length)];
            if (!currentMatcher && pattern.matches("!?\\*\\*[^/*].*")) {
                continue;
            }
            text.append(pattern).append('\n');
            lines--;
        }
        return text.toString();
    }
}
