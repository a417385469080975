package dev.autorebuild.fs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.util.List;
import java.time.Duration;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A file of several GB is hashed streaming: a JVM with a 24 MB heap hashes a 3 GiB file (sparse, so
 * the disk is spared) and agrees with this JVM. Were the file read into memory, it would run out.
 */
class FileHasherBigFileTest {
    @TempDir
    Path dir;

    @Test
    void aThreeGigabyteFile_isHashedInA24MegabyteHeap() throws Exception {
        Path big = dir.resolve("big.bin");
        try (RandomAccessFile file = new RandomAccessFile(big.toFile(), "rw")) {
            file.setLength(3L * 1024 * 1024 * 1024);
            file.seek(file.length() - 5);
            file.write("tail\n".getBytes(StandardCharsets.UTF_8));
        }
        dev.autorebuild.support.Command child = dev.autorebuild.support.Command.run(Duration.ofMinutes(5),
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx24m",
                        "-cp", System.getProperty("java.class.path"), HashInASmallHeap.class.getName(), big.toString()), null);
        String out = child.output().strip();
        assertThat(child.exitCode()).as(out).isZero();
        assertThat(out).isEqualTo(new FileHasher().fingerprint(big, "big.bin").orElseThrow().toString());
    }
}
