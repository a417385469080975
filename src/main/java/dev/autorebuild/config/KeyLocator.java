package dev.autorebuild.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * Finds where a key or list item is written in a YAML text, for problems found after binding (a bad
 * duration, both whitelist and blacklist, a glob that cannot match): the binder keeps no positions.
 * A path is a list of map keys (String) and list indexes (Integer).
 */
final class KeyLocator {
    private static final YAMLFactory YAML = new YAMLFactory();

    private KeyLocator() {}

    /** The 1-based line and column of the path's key (or item), if the text holds it. */
    static Optional<int[]> locate(String text, List<Object> path) {
        try (JsonParser parser = YAML.createParser(text)) {
            if (parser.nextToken() == null) {
                return Optional.empty();
            }
            return find(parser, path, 0);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /** The parser stands on the first token of a value; finds path[depth…] inside it. */
    private static Optional<int[]> find(JsonParser parser, List<Object> path, int depth) throws IOException {
        if (depth == path.size()) {
            return Optional.of(position(parser.currentTokenLocation()));
        }
        Object step = path.get(depth);
        JsonToken token = parser.currentToken();
        if (token == JsonToken.START_OBJECT && step instanceof String key) {
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonLocation keyAt = parser.currentTokenLocation();
                parser.nextToken();
                if (name.equals(key)) {
                    return depth + 1 == path.size() ? Optional.of(position(keyAt)) : find(parser, path, depth + 1);
                }
                parser.skipChildren();
            }
        } else if (token == JsonToken.START_ARRAY && step instanceof Integer index) {
            for (int i = 0; parser.nextToken() != JsonToken.END_ARRAY; i++) {
                if (i == index) {
                    return find(parser, path, depth + 1);
                }
                parser.skipChildren();
            }
        }
        return Optional.empty();
    }

    private static int[] position(JsonLocation location) {
        return new int[] {location.getLineNr(), location.getColumnNr()};
    }
}
