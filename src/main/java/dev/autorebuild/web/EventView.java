package dev.autorebuild.web;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An engine event as the API sends it: {@code {"type":"BuildStarted","at":"…","data":{"component":"frontend",
 * "changedFiles":3}}}. Derived from the event record's own fields, so a new event needs no mapping code:
 * a component becomes its name, a duration {@code <name>Ms}, an empty optional is left out.
 */
public record EventView(String type, Instant at, Map<String, Object> data) {

    public static EventView of(RebuildEvent event, Instant at) {
        Map<String, Object> data = new LinkedHashMap<>();
        for (RecordComponent field : event.getClass().getRecordComponents()) {
            Object value;
            try {
                value = field.getAccessor().invoke(event);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read " + field, e);
            }
            put(data, field.getName(), value);
        }
        return new EventView(event.getClass().getSimpleName(), at, data);
    }

    private static void put(Map<String, Object> data, String name, Object value) {
        if (value instanceof Optional<?> optional) {
            optional.ifPresent(v -> put(data, name, v));
        } else if (value instanceof Duration d) {
            data.put(name + "Ms", d.toMillis());
        } else if (value instanceof Component c) {
            data.put(name, c.folder());
        } else if (value instanceof dev.autorebuild.core.build.Builder b) {
            data.put(name, b.key());
        } else if (value instanceof Path p) {
            data.put(name, p.toString());
        } else if (value instanceof List<?> list) {
            data.put(name, list.stream().map(v -> v instanceof Component c ? c.folder() : v).toList());
        } else {
            data.put(name, value);
        }
    }

    /** The component an event concerns, if any (the dashboard routes log lines by it). */
    public Optional<String> component() {
        return Optional.ofNullable(data.get("component")).map(Object::toString);
    }
}
