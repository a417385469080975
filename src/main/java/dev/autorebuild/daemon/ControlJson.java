package dev.autorebuild.daemon;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The control socket's wire format, shared by both ends so they parse alike: one JSON object per line.
 * jackson-core's streaming reader and writer, not a data-binding mapper: the client must answer in a
 * fraction of a second, and a mapper's start-up costs more than the whole request.
 */
final class ControlJson {
    private static final JsonFactory JSON = new JsonFactory();

    private ControlJson() {
    }

    interface Fields {
        void write(JsonGenerator json) throws IOException;
    }

    static String write(Fields fields) {
        StringWriter text = new StringWriter();
        try (JsonGenerator json = JSON.createGenerator(text)) {
            json.writeStartObject();
            fields.write(json);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /**
     * The {@code known} top-level fields of one JSON object: strings, booleans, numbers, string lists and
     * flat objects of numbers. Other fields are skipped, so a newer peer may add some.
     */
    static Map<String, Object> read(String line, java.util.Set<String> known) throws MalformedControlMessage {
        try (JsonParser json = JSON.createParser(line)) {
            if (json.nextToken() != JsonToken.START_OBJECT) {
                throw new MalformedControlMessage("expected one JSON object per line, got: " + shorten(line));
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String name = json.currentName();
                JsonToken token = json.nextToken();
                if (known.contains(name)) {
                    fields.put(name, value(json, token));
                } else {
                    json.skipChildren();
                }
            }
            if (json.nextToken() != null) {
                throw new MalformedControlMessage("more than one JSON object on the line: " + shorten(line));
            }
            return fields;
        } catch (JsonProcessingException e) {
            throw new MalformedControlMessage("not JSON (" + e.getOriginalMessage() + "): " + shorten(line));
        } catch (IOException e) {
            throw new MalformedControlMessage("not JSON (" + e.getMessage() + "): " + shorten(line));
        }
    }

    private static Object value(JsonParser json, JsonToken token) throws IOException, MalformedControlMessage {
        switch (token) {
            case VALUE_STRING:
                return json.getText();
            case VALUE_TRUE:
            case VALUE_FALSE:
                return json.getBooleanValue();
            case VALUE_NUMBER_INT:
                return json.getLongValue();
            case START_ARRAY: {
                List<String> items = new ArrayList<>();
                for (JsonToken item = json.nextToken(); item != JsonToken.END_ARRAY; item = json.nextToken()) {
                    if (item != JsonToken.VALUE_STRING) {
                        throw new MalformedControlMessage("'" + json.currentName() + "' must list strings");
                    }
                    items.add(json.getText());
                }
                return List.copyOf(items);
            }
            case START_OBJECT: {
                Map<String, Long> numbers = new LinkedHashMap<>();
                while (json.nextToken() == JsonToken.FIELD_NAME) {
                    String name = json.currentName();
                    if (json.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                        throw new MalformedControlMessage("'" + name + "' must be a whole number");
                    }
                    numbers.put(name, json.getLongValue());
                }
                return Map.copyOf(numbers);
            }
            default:
                json.skipChildren();
                return null;
        }
    }

    static <T> T field(Map<String, Object> fields, String name, Class<T> type, T absent) throws MalformedControlMessage {
        Object value = fields.get(name);
        if (value == null) {
            return absent;
        }
        if (!type.isInstance(value)) {
            throw new MalformedControlMessage("'" + name + "' must be " + describe(type) + ", not " + value);
        }
        return type.cast(value);
    }

    private static String describe(Class<?> type) {
        return type == String.class ? "a string" : type == Boolean.class ? "true or false" : type == List.class ? "a list of strings"
                : type == Map.class ? "an object of numbers" : "a number";
    }

    private static String shorten(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}
