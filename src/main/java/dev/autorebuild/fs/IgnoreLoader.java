package dev.autorebuild.fs;

import dev.autorebuild.core.DockerName;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.ignore.BuiltinIgnores;
import dev.autorebuild.core.ignore.ComponentScope;
import dev.autorebuild.core.ignore.DockerignoreMatcher;
import dev.autorebuild.core.ignore.IgnoreFile;
import dev.autorebuild.core.ignore.IgnoreRules;
import dev.autorebuild.core.ignore.TriggerFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what decides a workspace's triggers: the .dabignore files (workspace root and component
 * folders), the .gitignore files when {@code ignore.gitignore} is on, each component's build scope and
 * .dockerignore (a {@code <Dockerfile>.dockerignore} beside a custom Dockerfile wins over the
 * context's, as in Docker), and dab.yml's whitelist/blacklist.
 */
public final class IgnoreLoader {
    public static final String DABIGNORE = ".dabignore";
    public static final String DOCKERIGNORE = ".dockerignore";
    public static final String GITIGNORE = ".gitignore";

    private IgnoreLoader() {}

    public static TriggerFilter load(Path workspace, Collection<String> componentFolders, DabConfig config) throws IOException {
        List<IgnoreFile> files = new ArrayList<>();
        files.add(BuiltinIgnores.FILE);
        read(workspace.resolve(DABIGNORE)).ifPresent(text -> files.add(IgnoreFile.parse("", DABIGNORE, text)));
        Map<String, ComponentScope> scopes = new HashMap<>();
        for (String folder : componentFolders) {
            read(workspace.resolve(folder).resolve(DABIGNORE)).ifPresent(text -> files.add(IgnoreFile.parse(folder, folder + "/" + DABIGNORE, text)));
            scopes.put(folder, scope(workspace, folder, config.component(folder, DockerName.sanitize(folder))));
        }
        if (config.useGitignore()) {
            files.addAll(gitignores(workspace));
        }
        return new TriggerFilter(new IgnoreRules(files), scopes, config.triggers());
    }

    /** The files one component's build takes in, as its settings describe them. */
    static ComponentScope scope(Path workspace, String folder, DabConfig.ComponentSettings settings) throws IOException {
        Path dir = workspace.resolve(folder);
        String context = PathNames.relative(workspace, dir.resolve(settings.context()).normalize());
        String dockerfile = PathNames.relative(workspace, dir.resolve(settings.dockerfile()).normalize());
        String specific = dockerfile + DOCKERIGNORE; // Dockerfile.dev → Dockerfile.dev.dockerignore
        String general = context.isEmpty() ? DOCKERIGNORE : context + "/" + DOCKERIGNORE;
        Optional<String> source = Files.isRegularFile(workspace.resolve(specific)) ? Optional.of(specific)
                : Files.isRegularFile(workspace.resolve(general)) ? Optional.of(general) : Optional.empty();
        DockerignoreMatcher matcher = source.isPresent() ? DockerignoreMatcher.parse(read(workspace.resolve(source.get())).orElse(""))
                : DockerignoreMatcher.NONE;
        List<String> watch = settings.watch().stream().map(w -> PathNames.relative(workspace, dir.resolve(w).normalize())).toList();
        return new ComponentScope(folder, context, dockerfile, source, matcher, watch);
    }

    /** Every .gitignore under the workspace, outside folders the built-in rules skip (.git, .dab…). */
    private static List<IgnoreFile> gitignores(Path workspace) throws IOException {
        List<IgnoreFile> found = new ArrayList<>();
        IgnoreRules builtins = new IgnoreRules(List.of(BuiltinIgnores.FILE));
        Files.walkFileTree(workspace, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                String rel = PathNames.relative(workspace, dir);
                if (!rel.isEmpty() && builtins.isIgnored(rel, true)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Optional<String> text = read(dir.resolve(GITIGNORE));
                if (text.isPresent()) {
                    found.add(IgnoreFile.parse(rel, rel.isEmpty() ? GITIGNORE : rel + "/" + GITIGNORE, text.get()));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return found;
    }

    /** Whether a change to this file (workspace-relative) changes the rules, so they must be read again. */
    public static boolean isRuleFile(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return name.equals(DABIGNORE) || name.endsWith(DOCKERIGNORE) || name.equals(GITIGNORE);
    }

    /** No sane ignore file comes near this; a bigger one is refused rather than read into memory. */
    static final long MAX_RULE_FILE_BYTES = 1024 * 1024;

    private static Optional<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        if (Files.size(file) > MAX_RULE_FILE_BYTES) {
            throw new IOException(file + " is " + Files.size(file) / 1024 + " KiB; ignore files over "
                    + MAX_RULE_FILE_BYTES / 1024 + " KiB are refused (the rules in force stay)");
        }
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    }
}
