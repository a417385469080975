package dev.autorebuild.docker;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One BuildKit progress update: the engine's {@code moby.buildkit.trace} message, a protobuf
 * {@code moby.buildkit.v1.StatusResponse}. Only the fields we show are read; every other field is
 * skipped, so a newer engine that adds fields still decodes. Our own minimal reading of the message,
 * from its field numbers:
 * <pre>
 * StatusResponse { repeated Vertex vertexes = 1; repeated VertexStatus statuses = 2; repeated VertexLog logs = 3;
 *                  repeated VertexWarning warnings = 4; }
 * Vertex         { string digest = 1; string name = 3; bool cached = 4; Timestamp started = 5; Timestamp completed = 6;
 *                  string error = 7; }
 * VertexLog      { string vertex = 1; int64 stream = 3; bytes msg = 4; }
 * VertexWarning  { string vertex = 1; bytes short = 3; repeated bytes detail = 4; }
 * Timestamp      { int64 seconds = 1; int32 nanos = 2; }
 * </pre>
 * VertexStatus   { string ID = 1; string vertex = 2; int64 current = 4; int64 total = 5; Timestamp completed = 8; }
 * </pre>
 * (A VertexStatus is a transfer within a step, "transferring context": its byte count is how much of
 * the context the engine had to receive.)
 */
record BuildKitStatus(List<Vertex> vertexes, List<Status> statuses, List<Log> logs, List<Warning> warnings) {

    /**
     * @param startedNanos   when the step started (epoch nanoseconds), if it has
     * @param completedNanos when it completed, if it has
     */
    record Vertex(String digest, String name, boolean cached, Optional<Long> startedNanos, Optional<Long> completedNanos,
                  Optional<String> error) {}

    /** @param current the bytes (or items) done so far */
    record Status(String id, String vertex, long current, boolean completed) {}

    /** @param stream 1 stdout, 2 stderr */
    record Log(String vertex, int stream, byte[] message) {}

    record Warning(String vertex, String text, List<String> detail) {}

    static BuildKitStatus parse(byte[] message) throws IOException {
        CodedInputStream in = CodedInputStream.newInstance(message);
        List<Vertex> vertexes = new ArrayList<>();
        List<Status> statuses = new ArrayList<>();
        List<Log> logs = new ArrayList<>();
        List<Warning> warnings = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> vertexes.add(embedded(in, BuildKitStatus::vertex));
                case 2 -> statuses.add(embedded(in, BuildKitStatus::status));
                case 3 -> logs.add(embedded(in, BuildKitStatus::log));
                case 4 -> warnings.add(embedded(in, BuildKitStatus::warning));
                default -> in.skipField(tag);
            }
        }
        return new BuildKitStatus(List.copyOf(vertexes), List.copyOf(statuses), List.copyOf(logs), List.copyOf(warnings));
    }

    private interface Reader<T> {
        T read(CodedInputStream in) throws IOException;
    }

    /** Reads a length-delimited sub-message with {@code reader}, which sees only its bytes. */
    private static <T> T embedded(CodedInputStream in, Reader<T> reader) throws IOException {
        int limit = in.pushLimit(in.readRawVarint32());
        T value = reader.read(in);
        in.checkLastTagWas(0);
        in.popLimit(limit);
        return value;
    }

    private static Vertex vertex(CodedInputStream in) throws IOException {
        String digest = "";
        String name = "";
        boolean cached = false;
        Long started = null;
        Long completed = null;
        String error = null;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> digest = in.readString();
                case 3 -> name = in.readString();
                case 4 -> cached = in.readBool();
                case 5 -> started = embedded(in, BuildKitStatus::timestamp);
                case 6 -> completed = embedded(in, BuildKitStatus::timestamp);
                case 7 -> error = in.readString();
                default -> in.skipField(tag);
            }
        }
        return new Vertex(digest, name, cached, Optional.ofNullable(started), Optional.ofNullable(completed),
                Optional.ofNullable(error).filter(e -> !e.isEmpty()));
    }

    private static Status status(CodedInputStream in) throws IOException {
        String id = "";
        String vertex = "";
        long current = 0;
        boolean completed = false;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> id = in.readString();
                case 2 -> vertex = in.readString();
                case 4 -> current = in.readInt64();
                case 8 -> {
                    embedded(in, BuildKitStatus::timestamp);
                    completed = true;
                }
                default -> in.skipField(tag);
            }
        }
        return new Status(id, vertex, current, completed);
    }

    private static Log log(CodedInputStream in) throws IOException {
        String vertex = "";
        int stream = 1;
        byte[] message = new byte[0];
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> vertex = in.readString();
                case 3 -> stream = (int) in.readInt64();
                case 4 -> message = in.readByteArray();
                default -> in.skipField(tag);
            }
        }
        return new Log(vertex, stream, message);
    }

    private static Warning warning(CodedInputStream in) throws IOException {
        String vertex = "";
        String text = "";
        List<String> detail = new ArrayList<>();
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> vertex = in.readString();
                case 3 -> text = in.readBytes().toStringUtf8();
                case 4 -> detail.add(in.readBytes().toStringUtf8());
                default -> in.skipField(tag);
            }
        }
        return new Warning(vertex, text, List.copyOf(detail));
    }

    /** A google.protobuf.Timestamp as epoch nanoseconds. */
    private static long timestamp(CodedInputStream in) throws IOException {
        long seconds = 0;
        int nanos = 0;
        for (int tag = in.readTag(); tag != 0; tag = in.readTag()) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 1 -> seconds = in.readInt64();
                case 2 -> nanos = in.readInt32();
                default -> in.skipField(tag);
            }
        }
        return seconds * 1_000_000_000L + nanos;
    }
}
