package dev.autorebuild.core.ignore;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line of a gitignore-syntax file, compiled to a regular expression with git's wildmatch rules
 * (WM_PATHNAME): {@code *} and {@code ?} never match {@code /}; {@code **} is special only as a whole
 * path segment ({@code **}{@code /x}, {@code x/**}, {@code x/**}{@code /y}), elsewhere it is a plain
 * {@code *}; brackets take {@code !} or {@code ^} for negation, ranges and POSIX classes.
 *
 * @param source       where the line came from, as {@code git check-ignore -v} prints it
 * @param line         1-based line number in the source
 * @param text         the line as written (for messages)
 * @param negated      a {@code !} line: re-includes what an earlier line excluded
 * @param directoryOnly the line ended with {@code /}: it matches only directories
 * @param basenameOnly the line has no {@code /}: it matches the last path segment at any depth
 * @param glob         the pattern itself, ready to match
 */
public record GitignorePattern(
        String source, int line, String text, boolean negated, boolean directoryOnly, boolean basenameOnly, GlobMatch glob) {

    private static final Pattern NEVER = Pattern.compile("(?!)");

    /** Parses one line; empty for blank lines and comments. */
    public static Optional<GitignorePattern> parse(String rawLine, String source, int lineNumber) {
        String line = trimTrailingSpaces(stripCarriageReturn(rawLine));
        if (line.isEmpty() || line.startsWith("#")) {
            return Optional.empty();
        }
        boolean negated = false;
        String body = line;
        if (body.startsWith("!")) {
            negated = true;
            body = body.substring(1);
        }
        boolean directoryOnly = false;
        if (body.endsWith("/")) {
            directoryOnly = true;
            body = body.substring(0, body.length() - 1);
        }
        if (body.isEmpty()) {
            return Optional.empty();
        }
        boolean basenameOnly = body.indexOf('/') < 0;
        if (body.startsWith("/")) {
            body = body.substring(1);
        }
        return Optional.of(new GitignorePattern(
                source, lineNumber, line, negated, directoryOnly, basenameOnly, GlobMatch.of(body)));
    }

    /** Whether this line matches {@code path}, relative to the folder its file sits in. */
    public boolean matches(String path, boolean isDirectory) {
        if (directoryOnly && !isDirectory) {
            return false;
        }
        return glob.matches(path, basenameOnly ? path.lastIndexOf('/') + 1 : 0);
    }

    private static String stripCarriageReturn(String line) {
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    /** Git drops trailing spaces unless a backslash escapes them. */
    static String trimTrailingSpaces(String line) {
        int lastSpace = -1;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == ' ') {
                if (lastSpace < 0) {
                    lastSpace = i;
                }
            } else if (c == '\\') {
                i++;
                if (i >= line.length()) {
                    return line;
                }
                lastSpace = -1;
            } else {
                lastSpace = -1;
            }
        }
        return lastSpace < 0 ? line : line.substring(0, lastSpace);
    }

    static Pattern compile(String glob) {
        StringBuilder re = new StringBuilder();
        int n = glob.length();
        for (int i = 0; i < n; i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> {
                    boolean doubleStar = i + 1 < n && glob.charAt(i + 1) == '*';
                    boolean segmentStart = i == 0 || glob.charAt(i - 1) == '/';
                    boolean segmentEnd = i + 2 >= n || glob.charAt(i + 2) == '/';
                    if (doubleStar && segmentStart && segmentEnd) {
                        if (i + 2 < n) {
                            re.append("(?:.*/)?");
                            i += 2;
                        } else {
                            re.append(".*");
                            i += 1;
                        }
                    } else {
                        while (i + 1 < n && glob.charAt(i + 1) == '*') {
                            i++;
                        }
                        re.append("[^/]*");
                    }
                }
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = appendBracket(glob, i, re);
                    if (end < 0) {
                        return NEVER; // git aborts the whole match on an unclosed bracket
                    }
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 >= n) {
                        return NEVER; // a trailing backslash never matches in git
                    }
                    appendLiteral(glob.charAt(++i), re);
                }
                default -> appendLiteral(c, re);
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    /** Appends a bracket expression starting at {@code start}; returns the index of its {@code ]}, or -1. */
    private static int appendBracket(String glob, int start, StringBuilder re) {
        int n = glob.length();
        int i = start + 1;
        boolean negate = false;
        if (i < n && (glob.charAt(i) == '!' || glob.charAt(i) == '^')) {
            negate = true;
            i++;
        }
        StringBuilder cls = new StringBuilder();
        boolean first = true;
        while (i < n) {
            char c = glob.charAt(i);
            if (c == ']' && !first) {
                re.append("(?!/)[").append(negate ? "^" : "").append(cls).append(']');
                return i;
            }
            first = false;
            if (c == '[' && i + 1 < n && glob.charAt(i + 1) == ':') {
                int close = glob.indexOf(":]", i + 2);
                if (close < 0) {
                    return -1;
                }
                String posix = posixClass(glob.substring(i + 2, close));
                if (posix == null) {
                    return -1;
                }
                cls.append(posix);
                i = close + 2;
                continue;
            }
            char low = c;
            if (c == '\\') {
                if (++i >= n) {
                    return -1;
                }
                low = glob.charAt(i);
            }
            if (i + 2 < n && glob.charAt(i + 1) == '-' && glob.charAt(i + 2) != ']') {
                char high = glob.charAt(i + 2);
                i += 2;
                if (high == '\\') {
                    if (++i >= n) {
                        return -1;
                    }
                    high = glob.charAt(i);
                }
                if (high >= low) {
                    cls.append(hex(low)).append('-').append(hex(high));
                }
            } else {
                cls.append(hex(low));
            }
            i++;
        }
        return -1;
    }

    private static String posixClass(String name) {
        return switch (name) {
            case "alnum" -> "\\p{Alnum}";
            case "alpha" -> "\\p{Alpha}";
            case "blank" -> " \\t";
            case "cntrl" -> "\\p{Cntrl}";
            case "digit" -> "0-9";
            case "graph" -> "\\p{Graph}";
            case "lower" -> "a-z";
            case "print" -> "\\p{Print}";
            case "punct" -> "\\p{Punct}";
            case "space" -> "\\s";
            case "upper" -> "A-Z";
            case "xdigit" -> "0-9A-Fa-f";
            default -> null;
        };
    }

    private static void appendLiteral(char c, StringBuilder re) {
        if (Character.isLetterOrDigit(c)) {
            re.append(c);
        } else {
            re.append(hex(c));
        }
    }

    private static String hex(char c) {
        return String.format("\\x{%x}", (int) c);
    }
}
