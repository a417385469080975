package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * Which of the daemon's methods the JVM's optimizing compiler (C2) may take: the hashing (the JDK's
 * SHA-256, whose compiled form uses the CPU's SHA instructions, and our own core and file code), and
 * nothing else. Every other method stays with the quick compiler (C1).
 *
 * <p>Why: a daemon's start on two cores spent 2.2 s of compiler threads' CPU (-XX:+CITime), 1.35 s of
 * it in C2 on 267 methods of Quarkus, Vert.x, the JDK's class loading and the like, which run a few
 * times and never again, while the start itself and the folder registration wanted both cores. With
 * these directives the start until watching on 10,000 folders took a median 2.33 s against 2.86 s
 * (six starts each, interleaved), and five big builds settled sooner. C1 alone everywhere
 * ({@code -XX:TieredStopAtLevel=1}) starts as fast and uses about 13 MB less, but hashes a big file ten
 * times slower (150 MB/s against 1.5 GB/s), since only C2 uses the SHA instructions: a workspace's
 * first look would then take seconds on big files.
 *
 * <p>The first directive that matches a method applies, so the list of methods C2 may take comes first.
 */
final class CompilerDirectives {
    static final String FILE_NAME = "compiler-directives.json";
    static final List<String> C2_ALLOWED = List.of(
            "sun/security/provider/DigestBase.*", "sun/security/provider/SHA2.*", "java/security/MessageDigest*.*",
            "dev/autorebuild/core/*.*", "dev/autorebuild/fs/*.*");
    static final String TEXT = "[\n"
            + "  { match: [" + String.join(", ", C2_ALLOWED.stream().map(m -> "\"" + m + "\"").toList()) + "], c2: { Exclude: false } },\n"
            + "  { match: \"*.*\", c2: { Exclude: true } }\n"
            + "]\n";

    private CompilerDirectives() {}

    /**
     * The daemon JVM's options for the directives, written to {@code file} first (the JVM reads them from a
     * file, and refuses to start when it is missing): the workspace's state folder, or beside the jar for
     * {@link DaemonArgFile}. None when the file cannot be written: the daemon then runs with the JVM's
     * default compilers, only slower to start. A file that differs (a partial write, an edit) is replaced,
     * since the JVM exits on one it cannot parse.
     */
    static List<String> options(Path file) {
        try {
            if (!Files.isRegularFile(file) || !Arrays.equals(Files.readAllBytes(file), TEXT.getBytes(StandardCharsets.US_ASCII))) {
                // a temporary file of its own, then renamed: the JVM refuses to start on a partial file, and
                // two starts at once must not write into each other's
                DabDir.writeAtomically(file, TEXT, DabDir.PID_MODE);
            }
        } catch (IOException e) {
            return List.of();
        }
        return List.of("-XX:+UnlockDiagnosticVMOptions", "-XX:CompilerDirectivesFile=" + file);
    }

    /** The same, in the workspace's state folder: for a jar whose folder this user cannot write. */
    static List<String> options(DabDir dab) {
        return options(dab.dir().resolve(FILE_NAME));
    }
}
