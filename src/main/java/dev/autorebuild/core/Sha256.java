package dev.autorebuild.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256, the one hash of the product: file fingerprints, content digests, registry and socket names. */
public final class Sha256 {
    private Sha256() {
    }

    /** A fresh digest to feed in parts. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    /** The hash of {@code text}'s UTF-8 bytes, as 64 hex digits. */
    public static String hex(String text) {
        return HexFormat.of().formatHex(newDigest().digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    /** A {@code sha256:…} digest as people read it: the prefix and the first 12 hex digits, as Docker shows image ids. */
    public static String shortForm(String digest) {
        return digest.length() > 19 ? digest.substring(0, 19) : digest;
    }
}
