package dev.autorebuild.docker.session;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.Arrays;

/**
 * The messages of BuildKit's file transfer ({@code moby.filesync.v1.FileSync/DiffCopy}), written and
 * read with protobuf-java's coded streams. Our own minimal reading of the two messages, from their
 * field numbers:
 * <pre>
 * Packet { enum type = 1 (STAT 0, REQ 1, DATA 2, FIN 3, ERR 4); Stat stat = 2; uint32 ID = 3; bytes data = 4; }
 * Stat   { string path = 1; uint32 mode = 2; uint32 uid = 3; uint32 gid = 4; int64 size = 5; int64 modTime = 6;
 *          string linkname = 7; }
 * </pre>
 * The sender (us) sends one STAT per entry in walk order, then an empty STAT; the receiver (the engine)
 * asks for the regular files it lacks with REQ, by their index in that order; each is answered with
 * DATA chunks and an empty DATA; the receiver's FIN is answered with ours.
 */
final class FilePacket {
    static final int STAT = 0;
    static final int REQ = 1;
    static final int DATA = 2;
    static final int FIN = 3;
    static final int ERR = 4;

    /** What the engine sends us: a request for a file, the end, or its error. */
    record Incoming(int type, int id, byte[] data) {}

    private FilePacket() {}

    static byte[] stat(EntryStat stat) {
        // tags, uint32 fields up to 5 bytes, int64 fields up to 10
        byte[] body = encode(stringField(stat.path()) + stringField(stat.linkname()) + 3 * 6 + 2 * 11, out -> {
            out.writeString(1, stat.path());
            out.writeUInt32(2, stat.mode());
            out.writeUInt32(3, stat.uid());
            out.writeUInt32(4, stat.gid());
            out.writeInt64(5, stat.size());
            out.writeInt64(6, stat.modTimeNanos());
            if (!stat.linkname().isEmpty()) {
                out.writeString(7, stat.linkname());
            }
        });
        return encode(2 + 1 + 5 + body.length, out -> {
            out.writeEnum(1, STAT);
            out.writeByteArray(2, body);
        });
    }

    /** The STAT without a stat that ends the walk: every field at its default, so no bytes at all. */
    static byte[] endOfStats() {
        return new byte[0];
    }

    static byte[] data(int id, byte[] chunk, int length) {
        return encode(2 + 6 + 1 + 5 + length, out -> {
            out.writeEnum(1, DATA);
            out.writeUInt32(3, id);
            if (length > 0) {
                out.writeByteArray(4, chunk, 0, length);
            }
        });
    }

    /**
     * Room left before a file chunk in a buffer that becomes one framed DATA message: the gRPC prefix
     * (5 bytes) and the packet's own header (type: 2 bytes, ID: up to 6, data's tag and length: up to 6).
     */
    static final int DATA_ROOM = 5 + 2 + 6 + 6;

    /**
     * Writes, just before the {@code length} bytes of content that start at {@link #DATA_ROOM}, the gRPC
     * prefix and the header of {@code Packet{type: DATA, ID: id, data: …}}, and moves the reader there.
     */
    static void frameData(io.netty.buffer.ByteBuf buffer, int id, int length) {
        byte[] header = encode(DATA_ROOM - 5, out -> {
            out.writeEnum(1, DATA);
            out.writeUInt32(3, id);
            out.writeTag(4, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(length);
        });
        int start = DATA_ROOM - header.length - 5;
        buffer.setBytes(start, GrpcFrames.prefix(header.length + length));
        buffer.setBytes(start + 5, header);
        buffer.readerIndex(start);
    }

    static byte[] fin() {
        return encode(2, out -> out.writeEnum(1, FIN));
    }

    static byte[] error(String message) {
        byte[] utf8 = message.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        return encode(2 + 1 + 5 + utf8.length, out -> {
            out.writeEnum(1, ERR);
            out.writeByteArray(4, utf8);
        });
    }

    static Incoming parse(byte[] message) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        int type = STAT;
        int id = 0;
        byte[] data = new byte[0];
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> type = in.readEnum();
                case 3 -> id = in.readUInt32();
                case 4 -> data = in.readByteArray();
                default -> in.skipField(tag);
            }
        }
        return new Incoming(type, id, data);
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    /**
     * The message {@code writer} writes, in an array of its exact size. {@code atMost} bounds its size: the
     * writer writes into an array that big, and what it wrote is copied out. Why not a stream: protobuf's
     * stream encoder allocates a 4 KB buffer per message, and a build of 100,000 files writes a few
     * messages per file (1.5 of the 4.6 GB the daemon allocated for five first builds of such contexts, JFR).
     */
    private static byte[] encode(int atMost, Writer writer) {
        byte[] room = new byte[atMost];
        CodedOutputStream out = CodedOutputStream.newInstance(room);
        try {
            writer.write(out);
        } catch (IOException e) {
            throw new IllegalStateException("a packet outgrew its bound of " + atMost + " bytes", e); // a bug in a bound below
        }
        return Arrays.copyOf(room, atMost - out.spaceLeft());
    }

    /** The most bytes a string field takes: tag, length, and three bytes of UTF-8 per UTF-16 unit at most. */
    private static int stringField(String value) {
        return 1 + 5 + 3 * value.length();
    }
}
