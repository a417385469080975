package dev.autorebuild.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Where a JVM's memory goes, by area, from its Native Memory Tracking (only when the daemon was started
 * with {@code AUTO_REBUILD_DAEMON_JAVA_OPTS=-XX:NativeMemoryTracking=summary}): tells heap the collector
 * kept from code, metaspace, threads or a leak in native buffers when the resident size grows.
 */
final class NativeMemory {
    private static final Pattern AREA = Pattern.compile("^-\\s+(.+?) \\(reserved=\\d+KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);

    private NativeMemory() {}

    /** Committed KB by area, or empty when tracking is off. */
    static Optional<Map<String, Long>> committedKb(long pid) throws IOException, InterruptedException {
        Process jcmd = new ProcessBuilder("jcmd", Long.toString(pid), "VM.native_memory", "summary").redirectErrorStream(true).start();
        String out = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        jcmd.waitFor();
        Map<String, Long> areas = new LinkedHashMap<>();
        Matcher m = AREA.matcher(out);
        while (m.find()) {
            areas.put(m.group(1).strip(), Long.parseLong(m.group(2)));
        }
        return areas.isEmpty() ? Optional.empty() : Optional.of(areas);
    }

    /** The areas that grew most between two readings, e.g. "Java Heap +12.0 MB, Code +3.1 MB". */
    static String growth(Map<String, Long> before, Map<String, Long> after) {
        return after.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .sorted(Comparator.comparingLong((Map.Entry<String, Long> e) -> -Math.abs(e.getValue())))
                .limit(5)
                .map(e -> String.format(Locale.ROOT, "%s %+.1f MB", e.getKey(), e.getValue() / 1024.0))
                .collect(Collectors.joining(", "));
    }
}
