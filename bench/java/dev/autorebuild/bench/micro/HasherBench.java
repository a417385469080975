package dev.autorebuild.bench.micro;

import dev.autorebuild.fs.FileHasher;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Hashing one file (open, read, SHA-256, close), as every changed path costs: a small source file and a 1 MiB asset. */
@State(Scope.Benchmark)
public class HasherBench {
    @Param({"2048", "1048576"})
    int bytes;

    private final FileHasher hasher = new FileHasher();
    private Path file;

    @Setup(Level.Trial)
    public void write() throws IOException {
        file = Files.createTempFile("dab-hash", ".bin");
        byte[] content = new byte[bytes];
        new java.util.Random(7).nextBytes(content);
        Files.write(file, content);
    }

    @TearDown(Level.Trial)
    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    @Benchmark
    public Optional<?> hashOneFile() throws IOException {
        return hasher.fingerprint(file, "src/file.bin");
    }
}
