package dev.autorebuild.fs;

import dev.autorebuild.support.Command;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a file is executable for the daemon's user, against the shell's own {@code test -x} on the same files. */
class FileHasherExecutableTest {
    @TempDir
    Path dir;

    @Test
    void executableAgreesWithTheShellsTestForEachModeAndName() throws Exception {
        Map<String, String> modes = new LinkedHashMap<>();
        modes.put("plain.txt", "rw-r--r--");
        modes.put("run.sh", "rwxr-xr-x");
        modes.put("owner-only", "rwx------");
        modes.put("group-only", "rw-r-xr--");
        modes.put("others-only", "rw-r--r-x");
        modes.put("no-read", "-wx------");
        modes.put("entrée.sh", "rwxr-xr-x"); // not plain ASCII: the Path's own bytes are asked
        modes.put("größe.txt", "rw-r--r--");
        for (Map.Entry<String, String> file : modes.entrySet()) {
            Path path = dir.resolve(file.getKey());
            Files.writeString(path, "echo " + file.getKey() + "\n");
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(file.getValue()));
        }
        int executables = 0;
        for (String name : modes.keySet()) {
            Path path = dir.resolve(name);
            Command shell = Command.run(Duration.ofSeconds(10), "sh", "-c", "test -x \"$1\" && echo x || echo -", "sh", path.toString());
            assertThat(shell.exitCode()).as(shell.errors()).isZero();
            boolean expected = shell.output().trim().equals("x");
            executables += expected ? 1 : 0;
            assertThat(FileHasher.executable(path)).as(name + " (" + modes.get(name) + ")").isEqualTo(expected);
        }
        assertThat(executables).as("the cases include executable files and others").isBetween(1, modes.size() - 1);
    }

    @Test
    void aChmodPlusXAloneChangesTheFingerprint() throws Exception {
        Path script = dir.resolve("run.sh");
        Files.writeString(script, "echo hi\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        FileHasher hasher = new FileHasher();
        String before = hasher.fingerprint(script, "run.sh").orElseThrow().toString();

        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));

        assertThat(hasher.fingerprint(script, "run.sh").orElseThrow().toString()).isNotEqualTo(before);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(hasher.fingerprint(script, "run.sh").orElseThrow().toString()).isEqualTo(before);
    }
}
