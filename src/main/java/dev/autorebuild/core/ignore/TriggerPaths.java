package dev.autorebuild.core.ignore;


import java.util.List;
import java.util.Optional;

/**
 * dab.yml's {@code whitelist} or {@code blacklist}: globs relative to the workspace, in gitignore
 * syntax, applied after the ignore files. With a whitelist only matching paths can trigger a build;
 * with a blacklist matching paths never do. At most one of the two is set.
 *
 * @param keyLine the line of the {@code whitelist:} key, for check-ignore's answer about unlisted paths
 */
public record TriggerPaths(Kind kind, List<GitignorePattern> patterns, int keyLine) {
    public enum Kind { NONE, WHITELIST, BLACKLIST }

    public static final TriggerPaths NONE = new TriggerPaths(Kind.NONE, List.of(), 0);

    public TriggerPaths {
        patterns = List.copyOf(patterns);
    }

    /**
     * Why this path may not trigger a build ({@code source:line:pattern}), or empty when it may.
     *
     * @param path workspace-relative, with {@code /} separators
     */
    public Optional<String> whyExcluded(String path, boolean isDirectory) {
        return switch (kind) {
            case NONE -> Optional.empty();
            case BLACKLIST -> matching(path, isDirectory).filter(p -> !p.negated())
                    .map(p -> p.source() + ":" + p.line() + ":" + p.text());
            case WHITELIST -> {
                Optional<GitignorePattern> last = matching(path, isDirectory);
                if (last.isPresent() && !last.get().negated()) {
                    yield Optional.empty();
                }
                yield Optional.of(last.map(p -> p.source() + ":" + p.line() + ":" + p.text())
                        .orElse(source() + ":" + keyLine + ":whitelist"));
            }
        };
    }

    private String source() {
        return patterns.isEmpty() ? "dab.yml" : patterns.get(0).source();
    }

    /**
     * The last pattern (a {@code !} one included) matching the path, else the one matching its nearest
     * parent folder: a listed folder covers its content.
     */
    private Optional<GitignorePattern> matching(String path, boolean isDirectory) {
        String candidate = path;
        boolean directory = isDirectory;
        while (true) {
            for (int i = patterns.size() - 1; i >= 0; i--) {
                if (patterns.get(i).matches(candidate, directory)) {
                    return Optional.of(patterns.get(i));
                }
            }
            int slash = candidate.lastIndexOf('/');
            if (slash < 0) {
                return Optional.empty();
            }
            candidate = candidate.substring(0, slash);
            directory = true;
        }
    }
}
