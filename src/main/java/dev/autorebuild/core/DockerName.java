package dev.autorebuild.core;

import java.util.Locale;

/**
 * Turns a folder name into one path component of a Docker image or container name, deterministically.
 *
 * <p>The rule users can predict: lower-case, and every character outside {@code [a-z0-9_.-]} becomes
 * {@code -}. Docker is stricter than that character set (no leading, trailing or doubled separators,
 * other than {@code __} and runs of {@code -}), so separator runs it would refuse collapse to
 * {@code -} and separators are trimmed from both ends. Very long names keep a readable prefix and a
 * short hash of the original, so two long names that share a prefix still differ.
 */
public final class DockerName {
    static final int MAX_LENGTH = 60;

    private DockerName() {}

    public static String sanitize(String folderName) {
        String lower = folderName.toLowerCase(Locale.ROOT);
        StringBuilder replaced = new StringBuilder(lower.length());
        lower.codePoints().forEach(cp -> replaced.append(isAllowed(cp) ? (char) cp : '-'));
        String cleaned = trimSeparators(collapseInvalidSeparatorRuns(replaced.toString()));
        if (cleaned.isEmpty()) {
            cleaned = "x" + shortHash(folderName);
        }
        if (cleaned.length() > MAX_LENGTH) {
            cleaned = trimSeparators(cleaned.substring(0, MAX_LENGTH - 9)) + "-" + shortHash(folderName);
        }
        return cleaned;
    }

    private static boolean isAllowed(int cp) {
        return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || cp == '_' || cp == '.' || cp == '-';
    }

    private static boolean isSeparator(char c) {
        return c == '_' || c == '.' || c == '-';
    }

    /** Docker accepts between alphanumerics exactly: ".", "_", "__", or one or more "-". */
    private static String collapseInvalidSeparatorRuns(String name) {
        StringBuilder out = new StringBuilder(name.length());
        int i = 0;
        while (i < name.length()) {
            if (!isSeparator(name.charAt(i))) {
                out.append(name.charAt(i++));
                continue;
            }
            int end = i;
            while (end < name.length() && isSeparator(name.charAt(end))) {
                end++;
            }
            String run = name.substring(i, end);
            boolean valid = run.equals(".") || run.equals("_") || run.equals("__") || run.chars().allMatch(c -> c == '-');
            out.append(valid ? run : "-");
            i = end;
        }
        return out.toString();
    }

    private static String trimSeparators(String name) {
        int start = 0;
        int end = name.length();
        while (start < end && isSeparator(name.charAt(start))) {
            start++;
        }
        while (end > start && isSeparator(name.charAt(end - 1))) {
            end--;
        }
        return name.substring(start, end);
    }

    private static String shortHash(String original) {
        return Sha256.hex(original).substring(0, 8);
    }
}
