package dev.autorebuild.core.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a Dockerfile asks of BuildKit that a build without a client session cannot give, found before
 * the engine is asked: {@code RUN --mount=type=secret} and {@code type=ssh} need files the client
 * serves through its session, which auto-rebuild does not open. Also finds the {@code # syntax=}
 * directive, so an engine's failure to fetch that frontend can be explained. Pure: the caller reads
 * the file.
 */
public final class DockerfileChecks {
    private static final Pattern SYNTAX = Pattern.compile("^#\\s*syntax\\s*=\\s*(\\S+)\\s*$", Pattern.CASE_INSENSITIVE);
    private static final Pattern DIRECTIVE = Pattern.compile("^#\\s*([a-zA-Z][a-zA-Z0-9]*)\\s*=.*$");
    private static final Pattern SESSION_MOUNT = Pattern.compile("--mount=(?:[^\\s]*,)?type=(secret|ssh)\\b", Pattern.CASE_INSENSITIVE);

    private DockerfileChecks() {}

    /** A place in the Dockerfile: 1-based line and column. */
    public record Place(int line, int column) {}

    /** A {@code RUN --mount=type=secret|ssh} found at {@code place}. */
    public record SessionMount(String type, Place place) {}

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
                Matcher m = SESSION_MOUNT.matcher(line);
                while (m.find()) {
                    found.add(new SessionMount(m.group(1).toLowerCase(Locale.ROOT), new Place(i + 1, m.start() + 1)));
                }
                inRun = line.stripTrailing().endsWith("\\");
            }
        }
        return List.copyOf(found);
    }
}
