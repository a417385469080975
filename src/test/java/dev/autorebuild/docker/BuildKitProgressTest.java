package dev.autorebuild.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * BuildKit's progress decoded and shown as plain lines. The recorded stream is what Debian's engine
 * (20.10) answered to a build whose RUN step prints two lines and exits 3; the expected lines are
 * written out by hand from what that build did. The crafted messages are encoded with protobuf-java's
 * own encoder, never with our reader.
 */
class BuildKitProgressTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aRecordedFailingBuild_readsAsTheCliPrintsIt_andNamesTheFailingStep() throws IOException {
        List<String> lines = new ArrayList<>();
        BuildKitProgress progress = new BuildKitProgress(lines::add);
        String error = null;
        for (String line : Files.readAllLines(Path.of("src/test/resources/buildkit/failed-run-step.jsonl"))) {
            JsonNode message = JSON.readTree(line);
            if (message.path("id").asText().equals(BuildKitBuild.TRACE)) {
                progress.accept(BuildKitStatus.parse(Base64.getDecoder().decode(message.path("aux").asText())));
            } else {
                error = message.path("errorDetail").path("message").asText();
            }
        }
        progress.flush();

        String run = "[2/2] RUN echo about to fail && echo on-stderr >&2 && exit 3";
        assertThat(lines).filteredOn(l -> !l.contains(" DONE ")).containsExactly(
                "#1 [internal] load remote build context",
                "#2 copy /context /",
                "#3 [internal] load metadata for docker.io/library/busybox:stable",
                "#4 [1/2] FROM docker.io/library/busybox:stable",
                "#4 CACHED",
                "#5 " + run,
                "#5 about to fail",
                "#5 on-stderr",
                "#5 ERROR: executor failed running [/bin/sh -c echo about to fail && echo on-stderr >&2 && exit 3]: exit code: 3");
        assertThat(lines).filteredOn(l -> l.contains(" DONE ")).hasSize(3).allMatch(l -> l.matches("#[123] DONE \\d+\\.\\ds"));
        assertThat(progress.failedStep()).contains(run);
        assertThat(error).isEqualTo("executor failed running [/bin/sh -c echo about to fail && echo on-stderr >&2 && exit 3]: exit code: 3");
    }

    @Test
    void outputSplitAcrossUpdates_isJoinedIntoLines_warningsAreShown_andUnknownFieldsSkipped() throws IOException {
        List<String> lines = new ArrayList<>();
        BuildKitProgress progress = new BuildKitProgress(lines::add);
        progress.accept(BuildKitStatus.parse(message(out -> {
            vertex(out, "sha256:aa", "[1/1] RUN ./test.sh", 10, 0);
            out.writeString(9, "a field this reader does not know");
        })));
        progress.accept(BuildKitStatus.parse(message(out -> log(out, "sha256:aa", "compiling ... "))));
        progress.accept(BuildKitStatus.parse(message(out -> log(out, "sha256:aa", "ok\nsecond line\nunfinished"))));
        progress.accept(BuildKitStatus.parse(message(out -> warning(out, "sha256:aa", "FromAsCasing: 'as' and 'FROM' keywords' casing do not match"))));
        progress.accept(BuildKitStatus.parse(message(out -> vertex(out, "sha256:aa", "[1/1] RUN ./test.sh", 10, 12_500_000_000L))));

        assertThat(lines).containsExactly(
                "#1 [1/1] RUN ./test.sh",
                "#1 compiling ... ok",
                "#1 second line",
                "WARNING: FromAsCasing: 'as' and 'FROM' keywords' casing do not match",
                "#1 unfinished",
                "#1 DONE 2.5s");
        assertThat(progress.failedStep()).isEmpty();
        assertThat(progress.currentStep()).contains("[1/1] RUN ./test.sh");
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] message(Writer body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        body.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    /** StatusResponse.vertexes (1): Vertex { digest 1, name 3, started 5, completed 6 }, a Timestamp being { seconds 1, nanos 2 }. */
    private static void vertex(CodedOutputStream out, String digest, String name, long startedSeconds, long completedNanos) throws IOException {
        out.writeByteArray(1, message(v -> {
            v.writeString(1, digest);
            v.writeString(3, name);
            v.writeByteArray(5, message(t -> t.writeInt64(1, startedSeconds)));
            if (completedNanos > 0) {
                v.writeByteArray(6, message(t -> {
                    t.writeInt64(1, completedNanos / 1_000_000_000L);
                    t.writeInt32(2, (int) (completedNanos % 1_000_000_000L));
                }));
            }
        }));
    }

    /** StatusResponse.logs (3): VertexLog { vertex 1, stream 3, msg 4 }. */
    private static void log(CodedOutputStream out, String digest, String text) throws IOException {
        out.writeByteArray(3, message(l -> {
            l.writeString(1, digest);
            l.writeInt64(3, 1);
            l.writeBytes(4, ByteString.copyFrom(text, StandardCharsets.UTF_8));
        }));
    }

    /** StatusResponse.warnings (4): VertexWarning { vertex 1, level 2, short 3 }. */
    private static void warning(CodedOutputStream out, String digest, String text) throws IOException {
        out.writeByteArray(4, message(w -> {
            w.writeString(1, digest);
            w.writeInt64(2, 1);
            w.writeBytes(3, ByteString.copyFrom(text, StandardCharsets.UTF_8));
        }));
    }
}
