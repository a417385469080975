package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent.BuildFailed;
import dev.autorebuild.core.RebuildEvent.BuildOutput;
import dev.autorebuild.support.DockerProxy;
import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BuildKit builds fetch their context over a session, as {@code docker build} does: the engine keeps
 * its copy between builds and asks only for what changed. The engine's own count of the bytes it
 * received ("transferring context: …") is the oracle for how much travelled; what the image holds is
 * read inside the image.
 */
class BuildSessionDockerTest extends RealEngineTest {
    private static final Pattern TRANSFERRED = Pattern.compile("#\\d+ transferring context: ([\\d.]+)(B|kB|MB) done");

    @Test
    void aSecondBuild_receivesOnlyWhatChanged_notTheWholeContext() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\n")
                .write("web/big.bin", "x".repeat(2_000_000))
                .write("web/page.html", "v1\n");
        startAndAwaitBuilt("web");
        assertThat(lastContextTransfer(0)).as("the first build receives the whole context (the engine rounds to four digits)")
                .isGreaterThanOrEqualTo(2_000_000);

        int mark = events.size();
        ws.write("web/page.html", "v2\n");
        awaitBuilt(mark, "web");
        assertThat(lastContextTransfer(mark)).as("the second build receives the changed file and the stats, not big.bin").isLessThan(20_000);
        assertThat(output(mark)).noneMatch(line -> line.contains("no BuildKit session"));
    }

    @Test
    void aFileLargerThanEveryWindowAndBuffer_streamsThrough_whole() throws Exception {
        // 40 MB: far over the engine's flow-control window and our write buffer, so the sender waits for
        // room many times and the content travels in hundreds of messages
        byte[] block = new byte[1 << 20];
        new java.util.Random(7).nextBytes(block);
        Path big = Files.createDirectories(ws.root().resolve("web")).resolve("big.bin");
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 40; i++) {
                block[0] = (byte) i;
                out.write(block);
            }
        }
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\n");
        startAndAwaitBuilt("web"); // the image's big.bin has the folder's SHA-256
    }

    @Test
    void aRewriteThatKeepsItsSizeAndTime_stillReachesTheImage() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\n").write("web/config.txt", "colour=red\n");
        Path file = ws.root().resolve("web/config.txt");
        FileTime time = Files.getLastModifiedTime(file);
        startAndAwaitBuilt("web");

        int mark = events.size();
        Files.writeString(file, "colour=tan\n"); // same size
        Files.setLastModifiedTime(file, time);   // and its time set back, as cp -p, touch -r or rsync -t do
        awaitBuilt(mark, "web");                  // the image holds "tan": the engine was made to ask for it
        assertThat(DockerEngine.runIn("shop-web:latest", "cat /app/config.txt")).isEqualTo("colour=tan");
    }

    @Test
    void deletions_modes_links_andFilesAnIgnoredFolderKeeps_reachTheImage() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\n")
                .write("web/.dockerignore", "cache\n!cache/keep.txt\n")
                .write("web/cache/keep.txt", "kept\n")
                .write("web/cache/drop.txt", "dropped\n")
                .write("web/run.sh", "echo hi\n")
                .write("web/old.txt", "old\n")
                .write("web/a/b/c.txt", "deep\n");
        leftOut.put("web", Set.of("cache/drop.txt"));
        startAndAwaitBuilt("web");

        int mark = events.size();
        Files.delete(ws.root().resolve("web/old.txt"));
        Files.setPosixFilePermissions(ws.root().resolve("web/run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(ws.root().resolve("web/link"), Path.of("run.sh"));
        leftOut.put("web", Set.of("cache/drop.txt", "link")); // the image lists regular files only: the link is read below
        ws.write("web/a.txt", "beside the folder a\n"); // "a.txt" sorts after "a/…" in a walk, before it as a string
        awaitBuilt(mark, "web");
        assertThat(DockerEngine.runIn("shop-web:latest", "stat -c %a /app/run.sh; readlink /app/link; ls /app/cache; test -e /app/old.txt || echo gone"))
                .isEqualTo("750\nrun.sh\nkeep.txt\ngone");
    }

    @Test
    void anEngineThatRefusesSessions_stillBuilds_withTheContextInTheRequest_sayingWhyOnce_andASecretGetsAClearError() throws Exception {
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /app/\n").write("web/page.html", "v1\n")
                .write("api/Dockerfile", "FROM busybox:stable\nRUN --mount=type=secret,id=token true\n");
        try (DockerProxy proxy = new DockerProxy()) {
            proxy.refuseSessions();
            proxy.up();
            start(proxy.host());
            awaitBuilt(0, "web"); // what the image holds is read inside it: the upload sent the same files
            BuildFailed api = events.awaitEvent(0, BuildFailed.class, e -> e.component().folder().equals("api"), BUILD);
            assertThat(api.message()).startsWith("api/Dockerfile:2:5: RUN --mount=type=secret needs a BuildKit session")
                    .contains("none could be opened here");

            int mark = events.size();
            ws.write("web/page.html", "v2\n");
            awaitBuilt(mark, "web");
            assertThat(events.all(BuildOutput.class).stream().map(BuildOutput::line)
                    .filter(line -> line.startsWith("(no BuildKit session: ") && line.contains("sessions are not supported here")))
                    .as("said once per reason, not at every build").hasSize(1);
        }
    }

    /** The bytes the engine said it received for the context in the last build after {@code mark}. */
    private long lastContextTransfer(int mark) {
        long bytes = -1;
        for (String line : output(mark)) {
            Matcher m = TRANSFERRED.matcher(line);
            if (m.matches()) {
                double value = Double.parseDouble(m.group(1));
                bytes = Math.round(value * switch (m.group(2)) {
                    case "kB" -> 1_000;
                    case "MB" -> 1_000_000;
                    default -> 1;
                });
            }
        }
        assertThat(bytes).as("the build's output names the context's transfer: " + output(mark)).isNotNegative();
        return bytes;
    }

    private List<String> output(int mark) {
        return events.since(mark, BuildOutput.class).stream().map(BuildOutput::line).toList();
    }
}
