package dev.autorebuild.core.ignore;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore}, with the Docker engine's own semantics rather than gitignore's: every
 * pattern is anchored at the context root ({@code *.md} matches only top-level files), {@code *} and
 * {@code ?} stay within a segment, {@code **} spans any number of folders, a pattern that matches a
 * folder excludes everything in it, and {@code !} lines re-include, the last matching line winning
 * (unlike git, a file inside an excluded folder can be re-included).
 */
public final class DockerignoreMatcher {
    public static final DockerignoreMatcher NONE = new DockerignoreMatcher(List.of(), java.util.Optional.empty());

    private record Rule(Pattern regex, boolean exception, String text, int line) {}

    private final List<Rule> rules;
    private final java.util.Optional<String> refusal;

    private DockerignoreMatcher(List<Rule> rules, java.util.Optional<String> refusal) {
        this.rules = List.copyOf(rules);
        this.refusal = refusal;
    }

    /**
     * Why Docker would refuse this file as a whole ({@code LINE:COLUMN: message}), if it would: a
     * build must then fail as {@code docker build} does, not quietly send a context Docker never would.
     */
    public java.util.Optional<String> refusal() {
        return refusal;
    }

    public static DockerignoreMatcher parse(String content) {
        List<Rule> rules = new ArrayList<>();
        java.util.Optional<String> refusal = java.util.Optional.empty();
        String[] lines = content.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            boolean exception = line.startsWith("!");
            String pattern = exception ? line.substring(1).strip() : line;
            if (exception && pattern.isEmpty() && refusal.isEmpty()) {
                refusal = java.util.Optional.of((i + 1) + ":" + (lines[i].indexOf('!') + 1) + ": a lone '!' re-includes nothing, and Docker refuses "
                        + "the whole file for it (illegal exclusion pattern); remove the line, or write what it should re-include after the '!'");
            }
            pattern = clean(pattern);
            if (pattern.length() > 1 && pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            if (pattern.isEmpty() || pattern.equals(".")) {
                continue;
            }
            rules.add(new Rule(compile(pattern), exception, line, i + 1));
        }
        return new DockerignoreMatcher(rules, refusal);
    }

    /** Whether any line re-includes; if none does, an excluded folder can be skipped whole. */
    public boolean hasExceptions() {
        return rules.stream().anyMatch(Rule::exception);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** Whether {@code path} (relative to the context root, '/'-separated) is left out of the build context. */
    public boolean excludes(String path) {
        return exclusion(path).isPresent();
    }

    /**
     * The line that leaves {@code path} out of the build context, as {@code line:pattern}; empty when
     * the path is sent.
     */
    public java.util.Optional<String> exclusion(String path) {
        Rule decided = null;
        int lastSlash = path.lastIndexOf('/');
        for (Rule rule : rules) {
            if (rule.exception() != (decided != null)) {
                continue; // an exclusion cannot change an excluded path, nor an exception an included one
            }
            boolean match = rule.regex().matcher(path).matches();
            for (int slash = path.indexOf('/'); !match && slash >= 0 && slash <= lastSlash; slash = path.indexOf('/', slash + 1)) {
                match = rule.regex().matcher(path.substring(0, slash)).matches();
            }
            if (match) {
                decided = rule.exception() ? null : rule;
            }
        }
        return decided == null ? java.util.Optional.empty() : java.util.Optional.of(decided.line() + ":" + decided.text());
    }

    /** Go's filepath.Clean for '/'-separated paths. */
    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        Deque<String> parts = new ArrayDeque<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.peekLast().equals("..")) {
                    parts.removeLast();
                } else if (!rooted) {
                    parts.addLast("..");
                }
                continue;
            }
            parts.addLast(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    private static Pattern compile(String pattern) {
        if (pattern.startsWith("**") && pattern.substring(2).chars().noneMatch(c -> "*?[\\".indexOf(c) >= 0)) {
            // moby's patternmatcher takes "**" plus plain text as a suffix match at any depth: "**.log" leaves out
            // every *.log ("**/x" keeps its meaning: x at any depth); Docker's CLI since 23 does this
            String suffix = pattern.substring(2);
            return Pattern.compile(suffix.startsWith("/")
                    ? "(?:.*" + Pattern.quote(suffix) + "|" + Pattern.quote(suffix.substring(1)) + ")"
                    : ".*" + Pattern.quote(suffix), Pattern.DOTALL);
        }
        StringBuilder re = new StringBuilder();
        int n = pattern.length();
        for (int i = 0; i < n; i++) {
            char c = pattern.charAt(i);
            if (c == '*') {
                if (i + 1 < n && pattern.charAt(i + 1) == '*') {
                    i++;
                    if (i + 1 < n && pattern.charAt(i + 1) == '/') {
                        i++;
                    }
                    re.append(i + 1 >= n ? ".*" : "(?:.*/)?");
                } else {
                    re.append("[^/]*");
                }
            } else if (c == '?') {
                re.append("[^/]");
            } else if (c == '\\' && i + 1 < n) {
                re.append(Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '[') {
                int close = pattern.indexOf(']', i + 2);
                if (close < 0) {
                    re.append("\\[");
                } else {
                    String body = pattern.substring(i + 1, close);
                    boolean negate = body.startsWith("^");
                    String members = (negate ? body.substring(1) : body).replace("\\", "\\\\").replace("[", "\\[").replace("&", "\\&");
                    re.append("(?!/)[").append(negate ? "^" : "").append(members).append(']');
                    i = close;
                }
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }
}
