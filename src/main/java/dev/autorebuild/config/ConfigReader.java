package dev.autorebuild.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.autorebuild.core.config.ConfigProblem;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.config.EngineSettings;
import dev.autorebuild.core.config.Suggestions;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Finds and reads a workspace's dab.yml: {@code -c FILE}, else {@code <workspace>/dab.yml} (or
 * {@code dab.yaml}), else the defaults. Every problem comes back as {@code file:line:column: what is
 * wrong}, never as an exception trace: random bytes in the file give an error, not a crash.
 */
public final class ConfigReader {
    public static final List<String> DEFAULT_NAMES = List.of("dab.yml", "dab.yaml");

    private static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private ConfigReader() {}

    public sealed interface Result {}

    /**
     * @param file    the file read, or empty when the defaults apply
     * @param compose dab.yml's {@code compose:}: empty to look for Compose's own file names, {@code false} for none, else a file
     * @param engine  dab.yml's {@code engine:}, if it has one (read at start only)
     */
    public record Loaded(DabConfig config, Optional<Path> file, List<String> warnings, Optional<String> compose,
                         Optional<EngineSettings> engine) implements Result {
        public Loaded(DabConfig config, Optional<Path> file, List<String> warnings) {
            this(config, file, warnings, Optional.empty(), Optional.empty());
        }
    }

    public record Invalid(List<ConfigProblem> problems) implements Result {
        public String describe() {
            return problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
        }
    }

    /** The configuration file that applies to the workspace, if any. */
    public static Optional<Path> locate(Path workspace, Optional<Path> explicit) {
        if (explicit.isPresent()) {
            return explicit.map(p -> p.toAbsolutePath().normalize());
        }
        return DEFAULT_NAMES.stream().map(workspace::resolve).filter(Files::isRegularFile).findFirst();
    }

    /** dab.yml (or the defaults), with the workspace's Compose file merged in when there is one. */
    public static Result read(Path workspace, Optional<Path> explicit) {
        Result dab = readDab(workspace, explicit);
        return dab instanceof Loaded loaded ? ComposeMerge.apply(workspace.toAbsolutePath().normalize(), loaded, System.getenv()) : dab;
    }

    private static Result readDab(Path workspace, Optional<Path> explicit) {
        Optional<Path> file = locate(workspace, explicit);
        if (file.isEmpty()) {
            return new Loaded(DabConfig.DEFAULTS, Optional.empty(), List.of());
        }
        Path path = file.get();
        String shown = path.toString();
        if (explicit.isEmpty() && DEFAULT_NAMES.stream().allMatch(n -> Files.isRegularFile(workspace.resolve(n)))) {
            return invalid(shown, 0, 0, "both dab.yml and dab.yaml exist in " + workspace + "; keep one (dab.yml is read)");
        }
        if (!Files.isRegularFile(path)) {
            return invalid(shown, 0, 0, "no such file; check the path given with -c");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(Files.readAllBytes(path))).toString();
        } catch (CharacterCodingException e) {
            return invalid(shown, 0, 0, "not UTF-8 text; save it as UTF-8");
        } catch (IOException e) {
            return invalid(shown, 0, 0, "cannot read it: " + e.getMessage());
        }
        Result result = parse(shown, text, workspace);
        return result instanceof Loaded loaded ? new Loaded(loaded.config(), Optional.of(path), loaded.warnings(), loaded.compose(), loaded.engine()) : result;
    }

    /** Parses and checks a configuration text; {@code shown} names the file in problems. */
    public static Result parse(String shown, String text, Path workspace) {
        RawConfig raw;
        try {
            Optional<JsonLocation> alias = firstAlias(text);
            if (alias.isPresent()) {
                return invalid(shown, alias.get(), "YAML aliases (*name) are not supported in dab.yml; write the value out in full");
            }
            raw = isEmptyDocument(text) ? null : MAPPER.readValue(text, RawConfig.class);
        } catch (UnrecognizedPropertyException e) {
            // Jackson reports where it stopped reading; the key itself is where the user must look.
            Optional<int[]> key = KeyLocator.locate(text, keyPath(e));
            return key.isPresent() ? invalid(shown, key.get()[0], key.get()[1], unknownKey(e)) : invalid(shown, e.getLocation(), unknownKey(e));
        } catch (MismatchedInputException e) {
            return invalid(shown, e.getLocation(), wrongType(e));
        } catch (com.fasterxml.jackson.core.exc.StreamConstraintsException e) {
            return invalid(shown, e.getLocation(), "far too big or too deeply nested for a configuration file: "
                    + firstLine(e.getOriginalMessage()));
        } catch (JacksonException e) {
            if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
                // SnakeYAML's own words and mark point at the offending character, Jackson's at the token before
                return invalid(shown, yaml.getProblemMark().getLine() + 1, yaml.getProblemMark().getColumn() + 1,
                        "not valid YAML: " + firstLine(yaml.getProblem()));
            }
            return invalid(shown, e.getLocation(), firstLine(e.getOriginalMessage()));
        } catch (IOException | RuntimeException e) {
            return invalid(shown, 0, 0, "cannot be read as YAML: " + firstLine(String.valueOf(e.getMessage())));
        }
        if (raw == null) {
            return new Loaded(DabConfig.DEFAULTS, Optional.empty(), List.of());
        }
        ConfigChecker checker = new ConfigChecker(shown, text, workspace);
        DabConfig config = checker.check(raw);
        Optional<String> compose = checker.compose(raw.compose());
        Optional<EngineSettings> engine = EngineKeys.check(raw.engine(), workspace, checker::problem);
        if (checker.problems().isEmpty()) {
            return new Loaded(config, Optional.empty(), checker.warnings(), compose, engine);
        }
        // in the file's order, as an editor would walk them, whatever order the checks ran in
        return new Invalid(checker.problems().stream()
                .sorted(java.util.Comparator.comparingInt(ConfigProblem::line).thenComparingInt(ConfigProblem::column)).toList());
    }

    /** Only comments, blank lines or an empty document: the defaults apply. */
    private static boolean isEmptyDocument(String text) throws IOException {
        try (var parser = MAPPER.getFactory().createParser(text)) {
            var first = parser.nextToken();
            return first == null || first == com.fasterxml.jackson.core.JsonToken.VALUE_NULL && parser.nextToken() == null;
        }
    }

    /**
     * The place of the first alias ({@code *name}), if any. The binder would read an alias as the
     * plain text of its name, silently giving a wrong value, so aliases are refused; this also means a
     * billion-laughs file is never expanded.
     */
    private static Optional<JsonLocation> firstAlias(String text) throws IOException {
        try (var parser = (com.fasterxml.jackson.dataformat.yaml.YAMLParser) MAPPER.getFactory().createParser(text)) {
            while (parser.nextToken() != null) {
                if (parser.isCurrentAlias()) {
                    return Optional.of(parser.currentTokenLocation());
                }
            }
        }
        return Optional.empty();
    }

    private static List<Object> keyPath(JsonMappingException e) {
        List<Object> path = new ArrayList<>();
        for (JsonMappingException.Reference r : e.getPath()) {
            path.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
        }
        return path;
    }

    private static String unknownKey(UnrecognizedPropertyException e) {
        String where = pathOf(e, 1);
        List<String> valid = e.getKnownPropertyIds() == null ? List.of()
                : e.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList();
        String hint = Suggestions.nearest(e.getPropertyName(), valid).map(s -> "; did you mean '" + s + "'?").orElse("");
        return "unknown key '" + e.getPropertyName() + "'" + (where.isEmpty() ? "" : " in " + where) + hint
                + (valid.isEmpty() ? "" : " (valid keys here: " + String.join(", ", valid) + ")");
    }

    private static String wrongType(MismatchedInputException e) {
        String where = pathOf(e, 0);
        Class<?> type = e.getTargetType();
        String expected = type == null ? "another kind of value"
                : type == Boolean.class || type == boolean.class ? "true or false"
                : type == Integer.class || type == int.class ? "a whole number"
                : type == String.class ? "a single value (text)"
                : List.class.isAssignableFrom(type) ? "a list (- item lines, or [a, b])"
                : java.util.Map.class.isAssignableFrom(type) ? "a mapping of keys to values"
                : type.getSimpleName().equals("JsonNode") ? "a value"
                : "a mapping of keys (key: value lines)" + (where.isEmpty() ? " at the top of the file" : "");
        return (where.isEmpty() ? "" : where + ": ") + "expected " + expected + firstLine(gotValue(e));
    }

    private static String gotValue(MismatchedInputException e) {
        if (e instanceof com.fasterxml.jackson.databind.exc.InvalidFormatException f && f.getValue() != null) {
            return ", got '" + f.getValue() + "'";
        }
        return "";
    }

    /** The dotted key path of a binding error, without the last {@code drop} segments. */
    private static String pathOf(JsonMappingException e, int drop) {
        List<JsonMappingException.Reference> refs = e.getPath();
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < refs.size() - drop; i++) {
            JsonMappingException.Reference r = refs.get(i);
            parts.add(r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]");
        }
        return String.join(".", parts).replace(".[", "[");
    }

    private static Invalid invalid(String shown, JsonLocation at, String message) {
        return at == null ? invalid(shown, 0, 0, message) : invalid(shown, at.getLineNr(), at.getColumnNr(), message);
    }

    private static Invalid invalid(String shown, int line, int column, String message) {
        return new Invalid(List.of(new ConfigProblem(shown, Math.max(line, 0), Math.max(column, 0), message)));
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).strip();
    }
}
