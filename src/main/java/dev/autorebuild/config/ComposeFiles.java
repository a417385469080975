package dev.autorebuild.config;

import dev.autorebuild.core.config.ComposeVariables;
import dev.autorebuild.core.config.ConfigProblem;
import dev.autorebuild.fs.PathNames;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The files one Compose project is read from: the main one, the files its {@code include:} lists name
 * (and those they include), and the files its services {@code extends}. Each file is parsed once, and
 * its nodes are marked with where they come from (see {@link ComposeNodes.Source}).
 */
final class ComposeFiles {
    private final Path workspace;
    private final Map<String, String> processEnv;
    private final ComposeNodes nodes;
    /** Every file read, in order, with its tree (null when it could not be read: the problem is reported). */
    private final Map<Path, Node> roots = new LinkedHashMap<>();
    /** The env files included files take their variables from (present or not: one created later changes them too). */
    private final Set<Path> envFiles = new LinkedHashSet<>();

    ComposeFiles(Path workspace, Map<String, String> processEnv, ComposeNodes nodes) {
        this.workspace = workspace;
        this.processEnv = processEnv;
        this.nodes = nodes;
    }

    /**
     * A file's variables: its env files in order (a missing optional one counts as empty), then the
     * process environment over them, as Compose reads them.
     */
    static Map<String, String> variables(List<Path> envFiles, boolean required, Map<String, String> processEnv) throws IOException {
        Map<String, String> variables = new LinkedHashMap<>();
        for (Path envFile : envFiles) {
            if (required || Files.isRegularFile(envFile)) {
                variables.putAll(EnvFile.parse(Files.readAllLines(envFile, StandardCharsets.UTF_8)));
            }
        }
        variables.putAll(processEnv);
        return variables;
    }

    static ComposeVariables lookup(Map<String, String> variables) {
        return new ComposeVariables(name -> Optional.ofNullable(variables.get(name)));
    }

    /** The files read so far, Compose files then included files' env files, as the user names them (workspace-relative where inside it). */
    List<String> shownFiles() {
        List<String> out = new ArrayList<>(roots.keySet().stream().map(this::shown).toList());
        envFiles.stream().map(this::shown).filter(f -> !out.contains(f)).forEach(out::add);
        return out;
    }

    String shown(Path file) {
        return file.startsWith(workspace) ? PathNames.relative(workspace, file) : file.toString();
    }

    /**
     * A file's tree, read once; null when it cannot be read or parsed, with the problem reported at
     * {@code referencedAt} (where another file names it), or at the file itself.
     */
    Node parse(Path file, ComposeNodes.Source source, Node referencedAt) {
        Path key = file.toAbsolutePath().normalize();
        if (roots.containsKey(key)) {
            return roots.get(key);
        }
        roots.put(key, null);
        String text;
        try {
            text = Files.readString(key, StandardCharsets.UTF_8);
        } catch (IOException e) {
            String message = "cannot read " + source.shown() + " (" + e.getClass().getSimpleName().replace("Exception", "") + ")";
            if (referencedAt == null) {
                nodes.problems.add(new ConfigProblem(source.shown(), 0, 0, message));
            } else {
                nodes.problem(referencedAt, message + "; check the path, which starts from " + shown(nodes.dirOf(referencedAt)) + "/");
            }
            return null;
        }
        Node root;
        try {
            LoaderOptions options = new LoaderOptions();
            options.setAllowDuplicateKeys(false);
            options.setMaxAliasesForCollections(200);
            root = new Yaml(options).compose(new StringReader(text));
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            nodes.problems.add(new ConfigProblem(source.shown(), mark == null ? 0 : mark.getLine() + 1, mark == null ? 0 : mark.getColumn() + 1,
                    "not valid YAML: " + e.getProblem()));
            return null;
        } catch (RuntimeException e) {
            nodes.problems.add(new ConfigProblem(source.shown(), 0, 0, "cannot be read as YAML: " + e.getMessage()));
            return null;
        }
        if (root == null) {
            nodes.problems.add(new ConfigProblem(source.shown(), 0, 0, "the file is empty; a Compose file needs services:"));
            return null;
        }
        nodes.add(root, source);
        roots.put(key, root);
        return root;
    }

    /**
     * The trees an {@code include:} list brings in, each after those it includes itself. An item is a
     * path or {@code {path, project_directory, env_file}}; an included file's relative paths start from
     * its project directory (its own folder unless given), and its variables come from that folder's
     * {@code .env} (or the env files given) under the process environment.
     */
    List<Node> included(Node include, Set<Path> chain) {
        List<Node> out = new ArrayList<>();
        List<Node> items = include instanceof SequenceNode seq ? seq.getValue() : List.of(include);
        for (Node item : items) {
            Path from = nodes.dirOf(item);
            List<String> paths;
            Optional<Path> projectDir = Optional.empty();
            List<Path> envFiles = null;
            if (item instanceof ScalarNode) {
                paths = nodes.texts(item, "include");
            } else {
                Map<String, ComposeNodes.Entry> spec = nodes.entries(item, "include");
                for (var k : spec.entrySet()) {
                    if (!Set.of("path", "project_directory", "env_file").contains(k.getKey())) {
                        nodes.unknown(k.getValue(), k.getKey(), Set.of("path", "project_directory", "env_file"), "in an include: item");
                    }
                }
                if (!spec.containsKey("path")) {
                    nodes.problem(item, "include: an item needs path: (the Compose file to include)");
                    continue;
                }
                paths = nodes.texts(spec.get("path").value(), "include.path");
                if (spec.containsKey("project_directory")) {
                    projectDir = nodes.text(spec.get("project_directory").value(), "include.project_directory").map(d -> from.resolve(d).normalize());
                }
                if (spec.containsKey("env_file")) {
                    envFiles = nodes.texts(spec.get("env_file").value(), "include.env_file").stream().map(f -> from.resolve(f).normalize()).toList();
                }
            }
            for (String path : paths) {
                Path file = from.resolve(path).normalize();
                if (chain.contains(file)) {
                    nodes.problem(item, "include: " + path + " includes itself (through " + String.join(" -> ",
                            chain.stream().map(this::shown).toList()) + "); remove one of the includes");
                    continue;
                }
                if (roots.containsKey(file)) {
                    continue; // already part of the project: a second include of it adds nothing
                }
                Path dir = projectDir.orElse(file.getParent());
                Map<String, String> variables;
                List<Path> env = envFiles == null ? List.of(dir.resolve(".env")) : envFiles;
                this.envFiles.addAll(env);
                try {
                    variables = variables(env, envFiles != null, processEnv);
                } catch (IOException e) {
                    nodes.problem(item, "include: cannot read the env_file of " + path + " (" + e.getMessage() + ")");
                    continue;
                }
                Node root = parse(file, new ComposeNodes.Source(shown(file), dir, lookup(variables)), item);
                if (root == null) {
                    continue;
                }
                Map<String, ComposeNodes.Entry> top = nodes.entries(root, "the file");
                if (top.containsKey("include")) {
                    Set<Path> deeper = new LinkedHashSet<>(chain);
                    deeper.add(file);
                    out.addAll(included(top.get("include").value(), deeper));
                }
                out.add(root);
            }
        }
        return out;
    }

    /** A file's services, for {@code extends.file}: read with the variables of the file that names it. */
    Map<String, ComposeNodes.Entry> servicesOf(Path file, ComposeNodes.Entry named) {
        Node root = parse(file, new ComposeNodes.Source(shown(file), file.getParent(), nodes.sourceOf(named.value()).variables()), named.value());
        if (root == null) {
            return Map.of();
        }
        Map<String, ComposeNodes.Entry> top = nodes.entries(root, "the file");
        if (!top.containsKey("services")) {
            nodes.problem(named.value(), shown(file) + " has no services: to extend");
            return Map.of();
        }
        return nodes.entries(top.get("services").value(), "services");
    }
}
