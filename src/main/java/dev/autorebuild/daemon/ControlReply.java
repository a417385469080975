package dev.autorebuild.daemon;

import java.util.Map;

/**
 * The daemon's answer to one {@link ControlRequest}, as one JSON line: whether it succeeded (the
 * client's exit code), the text to show the user, and named numbers for the client's own use
 * ({@code ping}: pid, start time, quit timeout).
 */
public record ControlReply(boolean ok, String text, Map<String, Long> numbers) {
    public ControlReply {
        numbers = Map.copyOf(numbers);
    }

    public static ControlReply ok(String text) {
        return new ControlReply(true, text, Map.of());
    }

    public static ControlReply failed(String text) {
        return new ControlReply(false, text, Map.of());
    }

    public long number(String name, long absent) {
        return numbers.getOrDefault(name, absent);
    }

    public String toJson() {
        return ControlJson.write(json -> {
            json.writeBooleanField("ok", ok);
            json.writeStringField("text", text);
            if (!numbers.isEmpty()) {
                json.writeObjectFieldStart("numbers");
                for (Map.Entry<String, Long> number : numbers.entrySet()) {
                    json.writeNumberField(number.getKey(), number.getValue());
                }
                json.writeEndObject();
            }
        });
    }

    @SuppressWarnings("unchecked")
    public static ControlReply parse(String line) throws MalformedControlMessage {
        Map<String, Object> fields = ControlJson.read(line, java.util.Set.of("ok", "text", "numbers"));
        Boolean ok = ControlJson.field(fields, "ok", Boolean.class, null);
        if (ok == null) {
            throw new MalformedControlMessage("a reply needs \"ok\"");
        }
        return new ControlReply(ok, ControlJson.field(fields, "text", String.class, ""),
                ControlJson.field(fields, "numbers", Map.class, Map.of()));
    }
}
