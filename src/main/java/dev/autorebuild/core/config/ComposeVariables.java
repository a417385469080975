package dev.autorebuild.core.config;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Compose's variable interpolation in a value: {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-default}}
 * (unset or empty), {@code ${VAR-default}} (unset), {@code ${VAR:?message}} / {@code ${VAR?message}}
 * (an error), {@code ${VAR:+other}} / {@code ${VAR+other}} (when set), and {@code $$} for a literal
 * dollar. A default may itself hold variables, as in Compose. An unset variable without a default is
 * empty, and the caller is told its name so it can warn as Compose does.
 */
public final class ComposeVariables {
    private final Function<String, Optional<String>> lookup;

    /** @param lookup the process environment over the workspace's {@code .env}, in Compose's order */
    public ComposeVariables(Function<String, Optional<String>> lookup) {
        this.lookup = lookup;
    }

    public static ComposeVariables of(Map<String, String> variables) {
        return new ComposeVariables(name -> Optional.ofNullable(variables.get(name)));
    }

    /** The value with its variables replaced; or why not (an unclosed brace, a {@code ?} error). */
    public sealed interface Outcome {}

    /** @param unset the variables that were used without a value or default (empty strings were put in) */
    public record Replaced(String value, java.util.List<String> unset) implements Outcome {}

    public record Failed(String message) implements Outcome {}

    public Outcome interpolate(String text) {
        StringBuilder out = new StringBuilder();
        java.util.List<String> unset = new java.util.ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c != '$') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                out.append('$');
                break;
            }
            char next = text.charAt(i + 1);
            if (next == '$') {
                out.append('$');
                i += 2;
            } else if (next == '{') {
                int close = closingBrace(text, i + 2);
                if (close < 0) {
                    return new Failed("'" + text + "': a ${ without its closing }");
                }
                Outcome inner = braced(text.substring(i + 2, close), unset);
                if (inner instanceof Failed failed) {
                    return failed;
                }
                out.append(((Replaced) inner).value());
                i = close + 1;
            } else if (Character.isLetter(next) || next == '_') {
                int end = i + 1;
                while (end < text.length() && (Character.isLetterOrDigit(text.charAt(end)) || text.charAt(end) == '_')) {
                    end++;
                }
                String name = text.substring(i + 1, end);
                out.append(value(name, unset));
                i = end;
            } else {
                out.append('$');
                i++;
            }
        }
        return new Replaced(out.toString(), java.util.List.copyOf(unset));
    }

    /** The body of {@code ${…}}: a name, then optionally an operator and its word. */
    private Outcome braced(String body, java.util.List<String> unset) {
        int end = 0;
        while (end < body.length() && (Character.isLetterOrDigit(body.charAt(end)) || body.charAt(end) == '_')) {
            end++;
        }
        String name = body.substring(0, end);
        if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
            return new Failed("'${" + body + "}' is not a variable: a name is letters, digits and _, not starting with a digit");
        }
        String rest = body.substring(end);
        Optional<String> value = lookup.apply(name);
        if (rest.isEmpty()) {
            return new Replaced(value(name, unset), java.util.List.of());
        }
        boolean colon = rest.startsWith(":");
        String op = colon ? rest.substring(1, Math.min(2, rest.length())) : rest.substring(0, 1);
        String word = rest.substring(colon ? 2 : 1);
        boolean missing = value.isEmpty() || colon && value.get().isEmpty();
        switch (op) {
            case "-" -> {
                return missing ? interpolate(word) : new Replaced(value.get(), java.util.List.of());
            }
            case "+" -> {
                return missing ? new Replaced("", java.util.List.of()) : interpolate(word);
            }
            case "?" -> {
                if (!missing) {
                    return new Replaced(value.get(), java.util.List.of());
                }
                Outcome message = interpolate(word);
                String said = message instanceof Replaced r ? r.value() : word;
                return new Failed("required variable " + name + " is " + (value.isEmpty() ? "not set" : "empty")
                        + (said.isBlank() ? "" : ": " + said) + " (set it in the environment or in .env)");
            }
            default -> {
                return new Failed("'${" + body + "}': unknown operator after " + name + "; use :-, -, :?, ?, :+ or +");
            }
        }
    }

    private String value(String name, java.util.List<String> unset) {
        Optional<String> value = lookup.apply(name);
        if (value.isEmpty()) {
            unset.add(name);
        }
        return value.orElse("");
    }

    /** The index of the brace that closes one opened just before {@code from}, minding nested ${…}. */
    private static int closingBrace(String text, int from) {
        int depth = 1;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}' && --depth == 0) {
                return i;
            }
        }
        return -1;
    }
}
