package dev.autorebuild.fs;

import dev.autorebuild.core.ignore.BuiltinIgnores;
import dev.autorebuild.core.ignore.DockerignoreMatcher;
import dev.autorebuild.core.ignore.IgnoreFile;
import dev.autorebuild.core.ignore.IgnoreRules;
import dev.autorebuild.core.ignore.TriggerFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads the ignore files of a workspace (its .dabignore, each component's .dabignore and .dockerignore). */
public final class IgnoreLoader {
    public static final String DABIGNORE = ".dabignore";
    public static final String DOCKERIGNORE = ".dockerignore";

    private IgnoreLoader() {}

    public static TriggerFilter load(Path workspace, Collection<String> componentFolders) throws IOException {
        List<IgnoreFile> files = new ArrayList<>();
        files.add(BuiltinIgnores.FILE);
        read(workspace.resolve(DABIGNORE)).ifPresent(text -> files.add(IgnoreFile.parse("", DABIGNORE, text)));
        Map<String, DockerignoreMatcher> dockerignores = new HashMap<>();
        for (String folder : componentFolders) {
            Path dir = workspace.resolve(folder);
            read(dir.resolve(DABIGNORE)).ifPresent(text -> files.add(IgnoreFile.parse(folder, folder + "/" + DABIGNORE, text)));
            read(dir.resolve(DOCKERIGNORE)).ifPresent(text -> dockerignores.put(folder, DockerignoreMatcher.parse(text)));
        }
        return new TriggerFilter(new IgnoreRules(files), dockerignores);
    }

    public static boolean isRuleFile(String pathInComponent) {
        return pathInComponent.equals(DABIGNORE) || pathInComponent.equals(DOCKERIGNORE);
    }

    private static Optional<String> read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        return Optional.of(Files.readString(file, StandardCharsets.UTF_8));
    }
}
