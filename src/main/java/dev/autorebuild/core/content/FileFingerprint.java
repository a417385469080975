package dev.autorebuild.core.content;

import java.nio.ByteBuffer;
import java.util.HexFormat;

/**
 * The SHA-256 of one file as the build sees it (its path, whether it is executable, its content).
 * Held as four longs rather than a byte array so records compare by value and a 100,000-file
 * workspace stays small in memory.
 */
public record FileFingerprint(long a, long b, long c, long d) {
    public static FileFingerprint of(byte[] sha256) {
        if (sha256.length != 32) {
            throw new IllegalArgumentException("a SHA-256 digest has 32 bytes, got " + sha256.length);
        }
        ByteBuffer buf = ByteBuffer.wrap(sha256);
        return new FileFingerprint(buf.getLong(), buf.getLong(), buf.getLong(), buf.getLong());
    }

    public byte[] bytes() {
        return ByteBuffer.allocate(32).putLong(a).putLong(b).putLong(c).putLong(d).array();
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes());
    }
}
