package dev.autorebuild.docker;

import dev.autorebuild.support.Command;
import dev.autorebuild.support.DockerEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Live sync's copies into real containers: through the shell kept open in the container for a small
 * batch, through the engine's archive upload for a big one or a container without {@code sh}. What
 * the container holds is read back by the container's own {@code sha256sum} and {@code stat}.
 */
class SyncShellsTest {
    @TempDir
    Path dir;
    private final List<String> containers = new ArrayList<>();
    private String image;

    @AfterEach
    void remove() throws Exception {
        for (String id : containers) {
            Command.run(Duration.ofMinutes(1), "docker", "rm", "-f", id);
        }
        if (image != null) {
            Command.run(Duration.ofMinutes(1), "docker", "rmi", "-f", image);
        }
    }

    private String container(String from) throws Exception {
        String id = DockerEngine.cli("run", "-d", "--network", "none", from, "sleep", "600");
        containers.add(id);
        return id;
    }

    private Path file(String name, byte[] content, String mode) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        Files.write(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    private static String sha256(byte[] content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    }

    private static String shellsIn(String id) throws Exception {
        return DockerEngine.cli("exec", id, "sh", "-c", "ps -o pid,args | grep -c '^ *[0-9]* sh$' || true");
    }

    @Test
    void aSmallBatch_goesThroughOneShellKeptOpen_withContentModeAndAwkwardNamesExact() throws Exception {
        DockerEngine.client();
        String id = container("busybox:stable");
        byte[] binary = new byte[10_000];
        new Random(7).nextBytes(binary);
        Map<String, Path> files = new LinkedHashMap<>();
        files.put("/www/it's here.html", file("a", "<p>it's here</p>\n".getBytes(), "rwxr-xr-x"));
        files.put("/www/sub dir/new/blob.bin", file("b", binary, "rw-r-----"));
        SyncShells shells = new SyncShells(DockerEngine.client());
        shells.prepare(id); // as a redeploy does: the shell opens before the first save
        await().atMost(Duration.ofSeconds(10)).alias("the shell opened in the background").until(() -> shellsIn(id), "1"::equals);

        shells.copyInto(id, files);
        assertThat(DockerEngine.cli("exec", id, "cat", "/www/it's here.html")).isEqualTo("<p>it's here</p>");
        assertThat(DockerEngine.cli("exec", id, "sha256sum", "/www/sub dir/new/blob.bin")).startsWith(sha256(binary));
        assertThat(DockerEngine.cli("exec", id, "stat", "-c", "%a %u", "/www/it's here.html", "/www/sub dir/new/blob.bin"))
                .isEqualTo("755 0\n640 0");
        assertThat(DockerEngine.cli("exec", id, "ls", "-A", "/www/sub dir/new")).as("no temporary file left behind").isEqualTo("blob.bin");
        assertThat(shellsIn(id)).as("one shell kept open").isEqualTo("1");

        // deletes go through the same shell: a file and a whole folder, in one rm
        assertThat(shells.delete(id, List.of("/www/sub dir", "/www/gone.txt"))).hasValueSatisfying(r -> assertThat(r.exitCode()).isZero());
        assertThat(DockerEngine.cli("exec", id, "ls", "-A", "/www")).as("the folder is gone, the rest stays").isEqualTo("it's here.html");
        assertThat(shellsIn(id)).isEqualTo("1");

        Files.writeString(dir.resolve("a"), "second\n");
        shells.copyInto(id, Map.of("/www/it's here.html", dir.resolve("a")));
        assertThat(DockerEngine.cli("exec", id, "cat", "/www/it's here.html")).isEqualTo("second");
        assertThat(shellsIn(id)).as("the same shell, reused").isEqualTo("1");

        DockerEngine.cli("restart", "-t", "0", id); // the shell ends with the container's processes: the next batch opens another
        Files.writeString(dir.resolve("a"), "after a restart\n");
        shells.copyInto(id, Map.of("/www/it's here.html", dir.resolve("a")));
        assertThat(DockerEngine.cli("exec", id, "cat", "/www/it's here.html")).isEqualTo("after a restart");

        // a batch the shell cannot write (the folder it needs is a file): the shell is closed, and the upload
        // does the batch as the engine does it (it replaces the file with the folder)
        shells.copyInto(id, Map.of("/www/it's here.html/child", dir.resolve("a")));
        assertThat(DockerEngine.cli("exec", id, "cat", "/www/it's here.html/child")).isEqualTo("after a restart");
        await().atMost(Duration.ofSeconds(10)).alias("the failed shell ends").until(() -> shellsIn(id), "0"::equals);
        shells.copyInto(id, Map.of("/www/again.html", dir.resolve("a")));
        assertThat(shellsIn(id)).as("a new shell for the next batch").isEqualTo("1");
    }

    @Test
    void aBigBatch_andAContainerWithoutAShell_goThroughTheArchiveUpload() throws Exception {
        DockerEngine.client();
        Map<String, Path> many = new LinkedHashMap<>();
        for (int i = 0; i <= SyncShells.MAX_FILES; i++) {
            many.put("/www/many/f" + i + ".txt", file("many/f" + i, ("file " + i + "\n").getBytes(), "rw-r--r--"));
        }
        String id = container("busybox:stable");
        SyncShells shells = new SyncShells(DockerEngine.client());
        shells.copyInto(id, many);
        assertThat(DockerEngine.cli("exec", id, "sh", "-c", "ls /www/many | wc -l")).isEqualTo(String.valueOf(SyncShells.MAX_FILES + 1));
        assertThat(DockerEngine.cli("exec", id, "cat", "/www/many/f64.txt")).isEqualTo("file 64");
        assertThat(shellsIn(id)).as("no shell for a big batch").isEqualTo("0");
        assertThat(shells.delete(id, List.of("/www/many/f1.txt"))).as("no shell open: the caller runs rm as an exec").isEmpty();

        image = "dab-test-noshell:" + Long.toHexString(System.nanoTime());
        Files.writeString(Files.createDirectories(dir.resolve("ctx")).resolve("Dockerfile"), "FROM busybox:stable\nRUN rm /bin/sh\n");
        DockerEngine.cli("build", "-q", "-t", image, dir.resolve("ctx").toString());
        String bare = container(image);
        shells.copyInto(bare, Map.of("/www/index.html", file("c", "uploaded\n".getBytes(), "rw-r--r--")));
        assertThat(DockerEngine.cli("exec", bare, "cat", "/www/index.html")).isEqualTo("uploaded");
        assertThat(DockerEngine.cli("exec", bare, "ps", "-o", "args").lines()).as("no shell could start").doesNotContain("sh");
    }
}
