package dev.autorebuild.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@code .env} or {@code env_file} as Compose reads one: {@code KEY=value} lines, {@code #} comments
 * and blank lines skipped, an optional {@code export } before the key, and a value in single quotes
 * taken literally or in double quotes with {@code \n}, {@code \"} and {@code \\} unescaped.
 */
final class EnvFile {
    private EnvFile() {}

    static Map<String, String> parse(List<String> lines) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("export ")) {
                line = line.substring("export ".length()).strip();
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                continue; // a bare KEY takes no value from a file
            }
            out.put(line.substring(0, eq).strip(), value(line.substring(eq + 1).strip()));
        }
        return out;
    }

    private static String value(String v) {
        if (v.length() >= 2 && v.startsWith("'") && v.endsWith("'")) {
            return v.substring(1, v.length() - 1);
        }
        if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
            return v.substring(1, v.length() - 1).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\");
        }
        int comment = v.indexOf(" #");
        return comment < 0 ? v : v.substring(0, comment).strip();
    }
}
