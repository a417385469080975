package dev.autorebuild.core.content;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * A component's content digest: SHA-256 over its files sorted by path, each entry the path's
 * UTF-8 bytes, a NUL, and the file's fingerprint (as Jib keys its layer cache). Equal trees give
 * equal digests whatever order they were seen in; it is stored as an image label so a restarted
 * daemon can tell whether an image is current without rebuilding.
 */
public final class ContentDigest {
    private ContentDigest() {}

    /**
     * @param recipe how the files are built (Dockerfile, context, target, build args): the same files
     *               built another way make another image, so the recipe is part of the digest
     */
    public static String of(FileTable files, String recipe) {
        MessageDigest sha = sha256();
        if (!recipe.isEmpty()) {
            sha.update(recipe.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
        }
        files.hashInto(sha);
        return "sha256:" + HexFormat.of().formatHex(sha.digest());
    }

    static MessageDigest sha256() {
        return dev.autorebuild.core.Sha256.newDigest();
    }
}
