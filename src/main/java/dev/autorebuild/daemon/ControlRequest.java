package dev.autorebuild.daemon;

import java.util.List;
import java.util.Map;

/**
 * One request on the control socket, as one JSON line: {@code {"command":"redeploy","components":["Web UI"]}}.
 * Names travel as JSON strings, so a name with spaces (or any other character) arrives whole.
 */
public record ControlRequest(String command, List<String> components) {
    public ControlRequest {
        components = List.copyOf(components);
    }

    public static ControlRequest of(String command) {
        return new ControlRequest(command, List.of());
    }

    public String toJson() {
        return ControlJson.write(json -> {
            json.writeStringField("command", command);
            if (!components.isEmpty()) {
                json.writeArrayFieldStart("components");
                for (String name : components) {
                    json.writeString(name);
                }
                json.writeEndArray();
            }
        });
    }

    @SuppressWarnings("unchecked")
    public static ControlRequest parse(String line) throws MalformedControlMessage {
        Map<String, Object> fields = ControlJson.read(line, java.util.Set.of("command", "components"));
        String command = ControlJson.field(fields, "command", String.class, null);
        if (command == null || command.isBlank()) {
            throw new MalformedControlMessage("a request needs a \"command\"");
        }
        return new ControlRequest(command, ControlJson.field(fields, "components", List.class, List.of()));
    }
}
