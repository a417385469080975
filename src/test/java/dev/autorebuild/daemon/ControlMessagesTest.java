package dev.autorebuild.daemon;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The control socket's messages. Lines to parse are written by hand here; what we write is read back
 * with Jackson's own tree reader, not with our parser, so neither side is its own oracle.
 */
class ControlMessagesTest {
    private static final ObjectMapper INDEPENDENT = new ObjectMapper();

    @Test
    void aRequestWrittenByHand_isRead_withNamesThatHoldSpacesQuotesAndSlashes() throws Exception {
        ControlRequest request = ControlRequest.parse("{\"command\":\"redeploy\",\"components\":[\"Web UI\",\"a\\\"b/c\",\"caf\\u00e9\"]}");

        assertThat(request.command()).isEqualTo("redeploy");
        assertThat(request.components()).containsExactly("Web UI", "a\"b/c", "café");
    }

    @Test
    void aRequestWeWrite_isOneLineOfJson_thatAnotherReaderSeesTheSame() throws Exception {
        String line = new ControlRequest("redeploy", List.of("Web UI", "new\nline")).toJson();

        assertThat(line).doesNotContain("\n");
        JsonNode read = INDEPENDENT.readTree(line);
        assertThat(read.get("command").asText()).isEqualTo("redeploy");
        assertThat(read.get("components")).hasSize(2);
        assertThat(read.get("components").get(0).asText()).isEqualTo("Web UI");
        assertThat(read.get("components").get(1).asText()).isEqualTo("new\nline");
        assertThat(ControlRequest.of("status").toJson()).isEqualTo("{\"command\":\"status\"}");
    }

    @Test
    void aReplyWeWrite_carriesOkTextAndNumbers() throws Exception {
        String line = new ControlReply(false, "redeploy FAILED for 1 of 1 (web)\nsecond line", Map.of("pid", 4242L)).toJson();

        JsonNode read = INDEPENDENT.readTree(line);
        assertThat(read.get("ok").asBoolean()).isFalse();
        assertThat(read.get("text").asText()).isEqualTo("redeploy FAILED for 1 of 1 (web)\nsecond line");
        assertThat(read.get("numbers").get("pid").asLong()).isEqualTo(4242L);
    }

    @Test
    void aReplyWrittenByHand_isRead_andUnknownFieldsFromANewerDaemonAreSkipped() throws Exception {
        ControlReply reply = ControlReply.parse("{\"ok\":true,\"text\":\"daemon 7\",\"numbers\":{\"pid\":7,\"started\":1700000000000},"
                + "\"added-later\":{\"nested\":[1,2]}}");

        assertThat(reply.ok()).isTrue();
        assertThat(reply.text()).isEqualTo("daemon 7");
        assertThat(reply.number("pid", -1)).isEqualTo(7);
        assertThat(reply.number("started", -1)).isEqualTo(1_700_000_000_000L);
        assertThat(reply.number("absent", -1)).isEqualTo(-1);
    }

    @Test
    void linesThatAreNotTheExpectedObject_areRefused_sayingWhatIsWrong() {
        assertThatThrownBy(() -> ControlRequest.parse("status")).isInstanceOf(MalformedControlMessage.class).hasMessageContaining("status");
        assertThatThrownBy(() -> ControlRequest.parse("[\"status\"]")).isInstanceOf(MalformedControlMessage.class)
                .hasMessageContaining("one JSON object per line");
        assertThatThrownBy(() -> ControlRequest.parse("{\"components\":[]}")).isInstanceOf(MalformedControlMessage.class)
                .hasMessageContaining("\"command\"");
        assertThatThrownBy(() -> ControlRequest.parse("{\"command\":\"redeploy\",\"components\":\"web\"}"))
                .isInstanceOf(MalformedControlMessage.class).hasMessageContaining("'components' must be a list of strings");
        assertThatThrownBy(() -> ControlRequest.parse("{\"command\":\"redeploy\",\"components\":[1]}"))
                .isInstanceOf(MalformedControlMessage.class).hasMessageContaining("must list strings");
        assertThatThrownBy(() -> ControlRequest.parse("{\"command\":\"status\"} {\"command\":\"stop\"}"))
                .isInstanceOf(MalformedControlMessage.class).hasMessageContaining("more than one");
        assertThatThrownBy(() -> ControlReply.parse("pid=12 started=3")).isInstanceOf(MalformedControlMessage.class);
        assertThatThrownBy(() -> ControlReply.parse("{\"text\":\"no verdict\"}")).isInstanceOf(MalformedControlMessage.class)
                .hasMessageContaining("\"ok\"");
    }
}
