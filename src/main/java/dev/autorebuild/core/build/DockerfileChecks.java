package dev.autorebuild.core.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Dockerfile asks of the client's BuildKit session, found before the engine is asked:
 * {@code RUN --mount=type=secret} (the secret by id) and {@code type=ssh} (an SSH agent, which
 * auto-rebuild does not forward). Also finds the {@code # syntax=}
 * directive, so an engine's failure to fetch that frontend can be explained. Pure: the caller reads
 * the file.
 */
public final class DockerfileChecks {
    private static final Pattern SYNTAX = Pattern.compile("^#\\s*syntax\\s*=\\s*(\\S+)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=.*$");
    private static final Pattern MOUNT = Pattern.compile("--mount=(\\S+)");

    private DockerfileChecks() {}

    /** A place in the Dockerfile: 1-based line and column. */
    public record Place(int line, int column) {}

    /**
     * A {@code RUN --mount=type=secret|ssh} found at {@code place}.
     *
     * @param id       the secret's id ({@code id=}, else the name of its {@code target=}), or the ssh mount's ({@code default})
     * @param required {@code required=true}: BuildKit fails the step when the client has no such secret
     */
    public record SessionMount(String type, String id, boolean required, Place place) {}

    /** The {@code # syntax=IMAGE} parser directive, if the Dockerfile starts with one. */
    public static Optional<SyntaxDirective> syntax(String dockerfile) {
        List<String> lines = dockerfile.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            Matcher syntax = SYNTAX.matcher(line);
            if (syntax.matches()) {
                return Optional.of(new SyntaxDirective(syntax.group(1), i + 1));
            }
            if (!DIRECTIVE.matcher(line).matches()) {
                return Optional.empty(); // directives only come first: the first other line ends them
            }
        }
        return Optional.empty();
    }

    public record SyntaxDirective(String image, int line) {}

    /** Every secret or ssh mount of a RUN instruction, continuation lines included; comments are skipped. */
    public static List<SessionMount> sessionMounts(String dockerfile) {
        List<SessionMount> found = new ArrayList<>();
        List<String> lines = dockerfile.lines().toList();
        boolean inRun = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            String trimmed = line.stripLeading();
            if (trimmed.startsWith("#")) {
                continue;
            }
            boolean continued = inRun;
            if (!continued) {
                inRun = trimmed.toUpperCase(Locale.ROOT).startsWith("RUN ") || trimmed.toUpperCase(Locale.ROOT).startsWith("RUN\t");
            }
            if (inRun) {
                Matcher m = MOUNT.matcher(line);
                while (m.find()) {
                    mount(m.group(1), new Place(i + 1, m.start() + 1)).ifPresent(found::add);
                }
                inRun = line.stripTrailing().endsWith("\\");
            }
        }
        return List.copyOf(found);
    }

    /** A mount's options (comma-separated {@code key=value}, a bare key meaning true) when it is a secret or ssh mount. */
    private static Optional<SessionMount> mount(String spec, Place place) {
        java.util.Map<String, String> options = new java.util.HashMap<>();
        for (String option : spec.split(",")) {
            int eq = option.indexOf('=');
            options.put(option.substring(0, eq < 0 ? option.length() : eq).strip().toLowerCase(Locale.ROOT),
                    eq < 0 ? "true" : option.substring(eq + 1).strip());
        }
        String type = options.getOrDefault("type", "bind").toLowerCase(Locale.ROOT);
        if (!type.equals("secret") && !type.equals("ssh")) {
            return Optional.empty();
        }
        String id = options.get("id");
        if (id == null || id.isEmpty()) {
            String target = options.getOrDefault("target", options.getOrDefault("dst", options.getOrDefault("destination", "")));
            id = type.equals("ssh") ? "default" : target.substring(target.lastIndexOf('/') + 1);
        }
        return Optional.of(new SessionMount(type, id, Boolean.parseBoolean(options.getOrDefault("required", "false")), place));
    }
}
