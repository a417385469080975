package dev.autorebuild.daemon;

import java.security.MessageDigest;

/**
 * Run in a child JVM by {@link CompilerDirectivesTest}: hashes 256 MB with the JDK's SHA-256 and runs a
 * hot loop of its own, long enough for the JVM to want C2 for both.
 */
public final class CompilerDirectivesProbe {
    private CompilerDirectivesProbe() {}

    public static void main(String[] args) throws Exception {
        byte[] block = new byte[1 << 20];
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < 256; i++) {
            block[i] = (byte) i;
            sha.update(block);
        }
        long sum = 0;
        for (int i = 0; i < 200_000; i++) {
            sum += hotLoop(i);
        }
        System.out.println("done " + sha.digest().length + " " + sum);
    }

    static long hotLoop(int seed) {
        long h = seed;
        for (int i = 0; i < 100; i++) {
            h = h * 31 + i;
        }
        return h;
    }
}
