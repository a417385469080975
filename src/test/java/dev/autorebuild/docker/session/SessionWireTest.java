package dev.autorebuild.docker.session;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The pure parts of the session's wire: entry order, gRPC framing, Go's mode bits. The engine-facing proof is BuildSessionDockerTest. */
class SessionWireTest {

    @Test
    void entries_comeInTheOrderOfAWalkWithSortedNames_aFolderBeforeWhatItHolds() {
        List<String> paths = new ArrayList<>(List.of("a.txt", "b", "a/z", "a", "a-b", "a/b/c", "a/b", "A", "é", "z"));
        paths.sort(SentFolder.WALK_ORDER);
        // by hand: names compare byte by byte within a folder ("A" < "a" < "a-b" < "a.txt" < "b" < "z" < "é"),
        // and a folder's entries follow it at once, before its next sibling
        assertThat(paths).containsExactly("A", "a", "a/b", "a/b/c", "a/z", "a-b", "a.txt", "b", "z", "é");
    }

    @Test
    void grpcMessages_areFoundWhereverTheFramesCutThem() {
        byte[] stream = {0, 0, 0, 0, 2, 8, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 42};
        GrpcFrames frames = new GrpcFrames();
        List<byte[]> messages = new ArrayList<>();
        for (byte b : stream) { // one byte per frame: the hardest cut
            messages.addAll(frames.add(new byte[] {b}));
        }
        assertThat(messages).hasSize(3);
        assertThat(messages.get(0)).containsExactly(8, 1);
        assertThat(messages.get(1)).isEmpty();
        assertThat(messages.get(2)).containsExactly(42);
        assertThat(GrpcFrames.prefix(2)).containsExactly(0, 0, 0, 0, 2);
        assertThat(GrpcFrames.prefix(70_000)).containsExactly(0, 0, 1, 0x11, 0x70);
    }

    @Test
    void aCompressedMessage_isRefused_notMisread() {
        assertThatThrownBy(() -> new GrpcFrames().add(new byte[] {1, 0, 0, 0, 1, 7})).hasMessageContaining("compressed");
    }

    @Test
    void unixModes_becomeGosModeBits() {
        // Go's os.FileMode: ModeDir 1<<31, ModeSymlink 1<<27, ModeSetuid 1<<23, ModeSetgid 1<<22, ModeSticky 1<<20
        assertThat(EntryStat.goMode(0100644)).isEqualTo(0644);
        assertThat(EntryStat.goMode(0040755)).isEqualTo(0x80000000 | 0755);
        assertThat(EntryStat.goMode(0120777)).isEqualTo((1 << 27) | 0777);
        assertThat(EntryStat.goMode(0104755)).isEqualTo((1 << 23) | 0755);
        assertThat(EntryStat.goMode(0041777)).isEqualTo(0x80000000 | (1 << 20) | 0777);
        assertThat(EntryStat.goMode(0010644)).as("a named pipe is not sent").isEqualTo(-1);
    }

    @Test
    void aRequestFromTheEngine_isRead() throws Exception {
        // Packet{type: REQ (1), ID: 300}: field 1 varint 1; field 3 varint 300 (0xAC 0x02)
        FilePacket.Incoming request = FilePacket.parse(new byte[] {0x08, 0x01, 0x18, (byte) 0xAC, 0x02});
        assertThat(request.type()).isEqualTo(FilePacket.REQ);
        assertThat(request.id()).isEqualTo(300);
        assertThat(FilePacket.parse(new byte[] {0x08, 0x03}).type()).isEqualTo(FilePacket.FIN);
    }

    /**
     * The packets we send, read back with protobuf's own reader, at their biggest: fields at their widest
     * varints and a path of three-byte (and four-byte) UTF-8 characters. Each is written into an array
     * bounded in advance, so a bound too small would throw here.
     */
    @Test
    void outgoingPackets_atTheirWidest_areWhatProtobufReadsBack() throws Exception {
        String path = "d\u20ac/\u20ac\u20ac\ud83d\ude00\u00e9x".repeat(40);
        EntryStat stat = new EntryStat(path, EntryStat.GO_DIR | 0777, -1, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE,
                "\u20ac".repeat(50));

        com.google.protobuf.CodedInputStream packet = com.google.protobuf.CodedInputStream.newInstance(FilePacket.stat(stat));
        assertThat(packet.readTag()).isEqualTo(1 << 3);
        assertThat(packet.readEnum()).isEqualTo(FilePacket.STAT);
        assertThat(packet.readTag()).isEqualTo(2 << 3 | 2);
        com.google.protobuf.CodedInputStream body = com.google.protobuf.CodedInputStream.newInstance(packet.readByteArray());
        assertThat(packet.isAtEnd()).isTrue();
        assertThat(body.readTag()).isEqualTo(1 << 3 | 2);
        assertThat(body.readString()).isEqualTo(path);
        assertThat(body.readTag()).isEqualTo(2 << 3);
        assertThat(body.readUInt32()).isEqualTo(EntryStat.GO_DIR | 0777);
        assertThat(body.readTag()).isEqualTo(3 << 3);
        assertThat(body.readUInt32()).isEqualTo(-1);
        assertThat(body.readTag()).isEqualTo(4 << 3);
        assertThat(body.readUInt32()).isEqualTo(Integer.MIN_VALUE);
        assertThat(body.readTag()).isEqualTo(5 << 3);
        assertThat(body.readInt64()).isEqualTo(Long.MAX_VALUE);
        assertThat(body.readTag()).isEqualTo(6 << 3);
        assertThat(body.readInt64()).isEqualTo(Long.MIN_VALUE);
        assertThat(body.readTag()).isEqualTo(7 << 3 | 2);
        assertThat(body.readString()).isEqualTo("\u20ac".repeat(50));
        assertThat(body.isAtEnd()).isTrue();

        byte[] chunk = new byte[70_000];
        new java.util.Random(7).nextBytes(chunk);
        com.google.protobuf.CodedInputStream data = com.google.protobuf.CodedInputStream.newInstance(FilePacket.data(Integer.MAX_VALUE, chunk, 65_000));
        assertThat(data.readTag()).isEqualTo(1 << 3);
        assertThat(data.readEnum()).isEqualTo(FilePacket.DATA);
        assertThat(data.readTag()).isEqualTo(3 << 3);
        assertThat(data.readUInt32()).isEqualTo(Integer.MAX_VALUE);
        assertThat(data.readTag()).isEqualTo(4 << 3 | 2);
        assertThat(data.readByteArray()).isEqualTo(java.util.Arrays.copyOf(chunk, 65_000));
        assertThat(data.isAtEnd()).isTrue();

        assertThat(FilePacket.fin()).containsExactly(0x08, 0x03);
        com.google.protobuf.CodedInputStream error = com.google.protobuf.CodedInputStream.newInstance(FilePacket.error("no \u20ac here"));
        assertThat(error.readTag()).isEqualTo(1 << 3);
        assertThat(error.readEnum()).isEqualTo(FilePacket.ERR);
        assertThat(error.readTag()).isEqualTo(4 << 3 | 2);
        assertThat(error.readStringRequireUtf8()).isEqualTo("no \u20ac here");
    }
}
