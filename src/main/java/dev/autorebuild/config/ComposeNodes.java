package dev.autorebuild.config;

import dev.autorebuild.core.config.ComposeVariables;
import dev.autorebuild.core.config.ConfigProblem;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reading Compose files' YAML nodes: keys with their positions, Compose's merge keys ({@code <<}),
 * values interpolated as Compose does, and every problem kept as {@code file:line:column: message}.
 * A project can span files ({@code include:}, {@code extends.file}): each node remembers the file it was
 * written in, so a problem names that file, and a relative path in it starts from that file's folder.
 */
final class ComposeNodes {
    /** Where a node was written: the file as shown to the user, the folder its relative paths start from, its variables. */
    record Source(String shown, Path dir, ComposeVariables variables) {}

    private final Source main;
    private final Map<Node, Source> sources = new IdentityHashMap<>();
    final List<ConfigProblem> problems = new ArrayList<>();
    final List<String> warnings = new ArrayList<>();

    ComposeNodes(Source main) {
        this.main = main;
    }

    /** Marks every node of a file's tree as written there (an alias shared with another file keeps its first file). */
    void add(Node node, Source source) {
        if (node == null || sources.putIfAbsent(node, source) != null) {
            return;
        }
        if (node instanceof MappingNode mapping) {
            for (NodeTuple tuple : mapping.getValue()) {
                add(tuple.getKeyNode(), source);
                add(tuple.getValueNode(), source);
            }
        } else if (node instanceof SequenceNode seq) {
            seq.getValue().forEach(item -> add(item, source));
        }
    }

    /** A node made by merging, written where {@code like} was. */
    void alias(Node made, Node like) {
        sources.put(made, sourceOf(like));
    }

    Source sourceOf(Node node) {
        return sources.getOrDefault(node, main);
    }

    /** The folder a relative path written at this node starts from. */
    Path dirOf(Node node) {
        return sourceOf(node).dir();
    }

    /** Each once: a service another one extends is read twice. */
    void problem(Node at, String message) {
        ConfigProblem problem = new ConfigProblem(sourceOf(at).shown(), line(at), column(at), message);
        if (!problems.contains(problem)) {
            problems.add(problem);
        }
    }

    private static int line(Node at) {
        return at.getStartMark() == null ? 0 : at.getStartMark().getLine() + 1;
    }

    private static int column(Node at) {
        return at.getStartMark() == null ? 0 : at.getStartMark().getColumn() + 1;
    }

    void warn(Node at, String message) {
        String warning = sourceOf(at).shown() + ":" + line(at) + ":" + column(at) + ": " + message;
        if (!warnings.contains(warning)) {
            warnings.add(warning);
        }
    }

    /** A mapping's entries by key, in order, with {@code <<} merges applied (the mapping's own keys win). */
    Map<String, Entry> entries(Node node, String what) {
        Map<String, Entry> out = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problem(node, what + ": expected a mapping of keys (key: value lines)");
            return out;
        }
        Map<String, Entry> merged = new LinkedHashMap<>();
        for (NodeTuple tuple : mapping.getValue()) {
            if (!(tuple.getKeyNode() instanceof ScalarNode key)) {
                problem(tuple.getKeyNode(), what + ": a key must be plain text");
                continue;
            }
            if (key.getValue().equals("<<")) {
                List<Node> sources = tuple.getValueNode() instanceof SequenceNode seq ? seq.getValue() : List.of(tuple.getValueNode());
                for (Node source : sources) {
                    entries(source, what + " (merged with <<)").forEach(merged::putIfAbsent);
                }
                continue;
            }
            if (out.containsKey(key.getValue())) {
                problem(key, what + ": '" + key.getValue() + "' is written twice; keep one (YAML does not merge them)");
            }
            out.put(key.getValue(), new Entry(key, tuple.getValueNode()));
        }
        merged.forEach(out::putIfAbsent);
        return out;
    }

    /** A key as written, and its value. */
    record Entry(ScalarNode key, Node value) {}

    /** A scalar's text, interpolated; empty (with a problem) when the value is not a single value. */
    Optional<String> text(Node node, String what) {
        if (!(node instanceof ScalarNode scalar)) {
            problem(node, what + ": expected a single value (text)");
            return Optional.empty();
        }
        if (scalar.getTag().getValue().endsWith(":null")) {
            return Optional.empty();
        }
        return interpolate(scalar, what);
    }

    Optional<String> interpolate(ScalarNode scalar, String what) {
        ComposeVariables.Outcome outcome = sourceOf(scalar).variables().interpolate(scalar.getValue());
        if (outcome instanceof ComposeVariables.Failed failed) {
            problem(scalar, what + ": " + failed.message());
            return Optional.empty();
        }
        ComposeVariables.Replaced replaced = (ComposeVariables.Replaced) outcome;
        replaced.unset().forEach(name -> warn(scalar, "the variable " + name + " is not set (neither in the environment nor in .env); "
                + "an empty string is used, as Compose does"));
        return Optional.of(replaced.value());
    }

    /** A list of single values, or one value standing for a list of one. */
    List<String> texts(Node node, String what) {
        List<String> out = new ArrayList<>();
        if (node instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                text(item, what).ifPresent(out::add);
            }
        } else {
            text(node, what).ifPresent(out::add);
        }
        return out;
    }

    /**
     * Compose's two ways of writing variables, a mapping ({@code KEY: value}) or a list ({@code KEY=value});
     * a key without a value takes the process environment's (and is left out when that has none).
     */
    Map<String, String> keyValues(Node node, String what, java.util.function.Function<String, Optional<String>> environment) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node instanceof SequenceNode seq) {
            for (Node item : seq.getValue()) {
                text(item, what).ifPresent(line -> {
                    int eq = line.indexOf('=');
                    if (eq < 0) {
                        environment.apply(line).ifPresent(v -> out.put(line, v));
                    } else {
                        out.put(line.substring(0, eq), line.substring(eq + 1));
                    }
                });
            }
            return out;
        }
        entries(node, what).forEach((key, entry) -> {
            boolean isNull = entry.value() instanceof ScalarNode s && s.getTag().getValue().endsWith(":null");
            if (isNull) {
                environment.apply(key).ifPresent(v -> out.put(key, v));
            } else {
                text(entry.value(), what + "." + key).ifPresent(v -> out.put(key, v));
            }
        });
        return out;
    }

    /** A boolean as YAML writes it (Compose's files say true/false). */
    Optional<Boolean> bool(Node node, String what) {
        return text(node, what).flatMap(t -> switch (t.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "on" -> Optional.of(true);
            case "false", "no", "off" -> Optional.of(false);
            default -> {
                problem(node, what + ": expected true or false, got '" + t + "'");
                yield Optional.empty();
            }
        });
    }

    /**
     * A command as Compose reads it: a list is taken as is, a string is split into words as a shell
     * would (quotes and backslashes), never run by a shell.
     */
    List<String> command(Node node, String what) {
        if (node instanceof SequenceNode) {
            return texts(node, what);
        }
        return text(node, what).map(ComposeNodes::words).orElse(List.of());
    }

    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return out;
    }

    /** A key Compose does not know, with the nearest one it does. */
    /**
     * The keys of one mapping ({@code at}): those in {@code notApplied} are a warning ("not applied by
     * {@code by}"), those in neither set an unknown-key problem with the nearest valid key; {@code x-} keys pass.
     */
    void checkKeys(Map<String, Entry> keys, String at, java.util.Set<String> used, java.util.Set<String> notApplied, String by) {
        for (var k : keys.entrySet()) {
            if (notApplied.contains(k.getKey())) {
                warn(k.getValue().key(), at + "." + k.getKey() + ": not applied by " + by);
            } else if (!used.contains(k.getKey()) && !k.getKey().startsWith("x-")) {
                java.util.Set<String> all = new java.util.HashSet<>(used);
                all.addAll(notApplied);
                unknown(k.getValue(), k.getKey(), all, "in " + at);
            }
        }
    }

    void unknown(ComposeNodes.Entry entry, String key, java.util.Set<String> valid, String where) {
        String hint = dev.autorebuild.core.config.Suggestions.nearest(key, valid.stream().sorted().toList()).map(s -> "; did you mean '" + s + "'?").orElse("");
        problem(entry.key(), "'" + key + "' is not a Compose key " + where + hint);
    }
}
