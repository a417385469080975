package dev.autorebuild.docker.session;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * gRPC's message framing inside an HTTP/2 stream: each message is a compressed flag (one byte, 0
 * here), a big-endian four-byte length, and the protobuf bytes. HTTP/2 DATA frames cut that stream
 * anywhere, so {@link #add} keeps what is left over for the next frame.
 */
final class GrpcFrames {
    /** Messages this large are not part of the file transfer's conversation (the engine sends small requests). */
    private static final int MAX_MESSAGE = 16 << 20;

    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    /** The messages completed by {@code bytes}. */
    List<byte[]> add(byte[] bytes) {
        pending.write(bytes, 0, bytes.length);
        byte[] all = pending.toByteArray();
        List<byte[]> messages = new ArrayList<>();
        int at = 0;
        while (all.length - at >= 5) {
            if (all[at] != 0) {
                throw new IllegalStateException("a compressed gRPC message, which this session never asked for");
            }
            int length = ((all[at + 1] & 0xff) << 24) | ((all[at + 2] & 0xff) << 16) | ((all[at + 3] & 0xff) << 8) | (all[at + 4] & 0xff);
            if (length < 0 || length > MAX_MESSAGE) {
                throw new IllegalStateException("a gRPC message of " + Integer.toUnsignedString(length) + " bytes");
            }
            if (all.length - at - 5 < length) {
                break;
            }
            byte[] message = new byte[length];
            System.arraycopy(all, at + 5, message, 0, length);
            messages.add(message);
            at += 5 + length;
        }
        pending.reset();
        pending.write(all, at, all.length - at);
        return messages;
    }

    /** The five bytes before a message of {@code length} bytes. */
    static byte[] prefix(int length) {
        return new byte[] {0, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8), (byte) length};
    }

}
