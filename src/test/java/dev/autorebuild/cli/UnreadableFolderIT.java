package dev.autorebuild.cli;

import dev.autorebuild.support.UnreadableFolderProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.time.Duration;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sub-folder the daemon's user may not read: warned about, skipped, and everything else watched,
 * hashed and sent. The tests run as root, whom the kernel lets read everything, so the watcher, the
 * hasher and the build context run here as {@code nobody} (runuser), on a workspace nobody owns with a
 * folder only root may open. No engine is needed: what is sent is read back from the tar.
 */
class UnreadableFolderIT {
    @TempDir
    Path dir;

    @Test
    void anUnreadableSubFolder_isSkippedWithAWarning_andEverythingElseIsWatchedHashedAndSent() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Files.createDirectories(ws.resolve("web/src"));
        Files.writeString(ws.resolve("web/Dockerfile"), "FROM busybox:stable\nCOPY . /app/\n");
        Files.writeString(ws.resolve("web/src/a.txt"), "readable\n");
        Path secret = Files.createDirectories(ws.resolve("web/secret"));
        Files.writeString(secret.resolve("key.txt"), "root only\n");
        Path lib = classpathNobodyCanRead();
        chown(ws, "nobody");
        chown(secret, "root");
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rwx------")); // root's, and closed
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));

        dev.autorebuild.support.Command probe = dev.autorebuild.support.Command.run(Duration.ofSeconds(60), List.of("runuser", "-u", "nobody", "--",
                "java", "-cp", lib + "/*:" + lib + "/classes:" + lib + "/test-classes", UnreadableFolderProbe.class.getName(), ws.toString()), null);
        String out = probe.output();
        assertThat(probe.exitCode()).as(out).isZero();
        assertThat(out).contains("watching", "saw late.txt")
                .contains("warning: cannot read " + secret + " (permission denied); skipped")
                .contains("hashed: [web/Dockerfile, web/src/a.txt, web/src/late.txt]")
                .containsPattern("sent: \\[.*src/a.txt.*]")
                .doesNotContain("key.txt").doesNotContain("Exception");
    }

    /** The probe's classes and jars, copied where nobody can read them (the Maven repository is under root's home). */
    private Path classpathNobodyCanRead() throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        List<String> wanted = List.of("directory-watcher", "slf4j-api", "commons-compress", "commons-io", "commons-lang3");
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            String name = p.getFileName().toString();
            if (name.endsWith(".jar") && wanted.stream().anyMatch(name::startsWith)) {
                Files.copy(p, lib.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        copyTree(Path.of("target/classes"), lib.resolve("classes"));
        copyTree(Path.of("target/test-classes"), lib.resolve("test-classes"));
        dev.autorebuild.support.Command.run(Duration.ofMinutes(1), "chmod", "-R", "a+rX", lib.toString());
        return lib;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        List<String> command = new ArrayList<>(List.of("cp", "-r", from.toAbsolutePath().toString(), to.toString()));
        assertThat(dev.autorebuild.support.Command.run(Duration.ofMinutes(1), command, null).exitCode()).isZero();
    }

    private static void chown(Path tree, String user) throws Exception {
        assertThat(dev.autorebuild.support.Command.run(Duration.ofMinutes(1), "chown", "-R", user, tree.toString()).exitCode()).isZero();
    }
}
