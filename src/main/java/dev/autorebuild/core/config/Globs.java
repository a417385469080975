package dev.autorebuild.core.config;

import java.util.Optional;

/** Checks a whitelist/blacklist glob before it is used, so a typo is reported instead of silently matching nothing. */
public final class Globs {
    private Globs() {}

    /** What is wrong with {@code glob}, or empty when it is usable. */
    public static Optional<String> problem(String glob) {
        if (glob.isBlank()) {
            return Optional.of("an empty glob matches nothing; remove it");
        }
        String body = glob.startsWith("!") ? glob.substring(1) : glob;
        for (String segment : body.split("/")) {
            if (segment.equals("..")) {
                return Optional.of("'" + glob + "' leaves the workspace ('..'); globs are relative to the workspace");
            }
        }
        int open = -1;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                if (i == body.length() - 1) {
                    return Optional.of("'" + glob + "' ends with a lone backslash; write \\\\ for a backslash");
                }
                i++;
            } else if (c == '[' && open < 0) {
                open = i;
                if (i + 1 < body.length() && (body.charAt(i + 1) == '!' || body.charAt(i + 1) == '^')) {
                    i++;
                }
                if (i + 1 < body.length() && body.charAt(i + 1) == ']') {
                    i++; // a ']' right after '[' is a member of the class
                }
            } else if (c == ']' && open >= 0) {
                open = -1;
            }
        }
        if (open >= 0) {
            return Optional.of("'" + glob + "' has a '[' at position " + (open + 1) + " that is never closed; write \\[ for a literal bracket");
        }
        return Optional.empty();
    }
}
