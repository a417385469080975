package dev.autorebuild.fs;

import java.nio.file.Path;

/** Run in a child JVM with a tiny heap by {@link FileHasherBigFileTest}: hashes one file and prints its fingerprint. */
public final class HashInASmallHeap {
    private HashInASmallHeap() {}

    public static void main(String[] args) throws Exception {
        System.out.println(new FileHasher().fingerprint(Path.of(args[0]), "big.bin").orElseThrow());
    }
}
