package dev.autorebuild.config;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A service's keys with those of the service it {@code extends} under them, in this project or in
 * another file, merged as Compose merges them: mappings key by key, lists appended (ports, volumes,
 * env_file…), and {@code command}/{@code entrypoint} replaced. The base service's relative paths keep
 * starting from its own file's folder.
 */
final class ComposeExtends {
    /** Lists Compose replaces instead of appending to. */
    private static final Set<String> REPLACED_LISTS = Set.of("command", "entrypoint", "test");

    private final ComposeNodes nodes;
    private final ComposeFiles files;

    ComposeExtends(ComposeNodes nodes, ComposeFiles files) {
        this.nodes = nodes;
        this.files = files;
    }

    /** @param scope the services a plain {@code extends: NAME} may name (those of the service's own project or file) */
    Map<String, ComposeNodes.Entry> keys(String name, ComposeNodes.Entry entry, Map<String, ComposeNodes.Entry> scope, List<String> seen) {
        String where = "services." + name;
        Map<String, ComposeNodes.Entry> keys = nodes.entries(entry.value(), where);
        ComposeNodes.Entry ext = keys.remove("extends");
        if (ext == null) {
            return keys;
        }
        String base;
        Map<String, ComposeNodes.Entry> baseScope = scope;
        String inFile = "this file";
        if (ext.value() instanceof ScalarNode) {
            base = nodes.text(ext.value(), where + ".extends").orElse("");
        } else {
            Map<String, ComposeNodes.Entry> spec = nodes.entries(ext.value(), where + ".extends");
            for (var k : spec.entrySet()) {
                if (!Set.of("service", "file").contains(k.getKey())) {
                    nodes.unknown(k.getValue(), k.getKey(), Set.of("service", "file"), "in " + where + ".extends");
                }
            }
            if (!spec.containsKey("service")) {
                nodes.problem(ext.value(), where + ".extends: it needs service: (the service to extend)");
                return keys;
            }
            base = nodes.text(spec.get("service").value(), where + ".extends.service").orElse("");
            if (spec.containsKey("file")) {
                ComposeNodes.Entry file = spec.get("file");
                Path path = nodes.text(file.value(), where + ".extends.file").map(f -> nodes.dirOf(file.value()).resolve(f).normalize()).orElse(null);
                if (path == null) {
                    return keys;
                }
                baseScope = files.servicesOf(path, file);
                inFile = files.shown(path);
            }
        }
        String id = inFile + "#" + base;
        if (!baseScope.containsKey(base)) {
            nodes.problem(ext.key(), where + ".extends: no service '" + base + "' in " + inFile);
            return keys;
        }
        if (seen.contains(id)) {
            nodes.problem(ext.key(), where + ".extends: a loop of extends (" + String.join(" -> ", seen) + " -> " + id + ")");
            return keys;
        }
        List<String> deeper = new ArrayList<>(seen);
        deeper.add(id);
        Map<String, ComposeNodes.Entry> merged = new LinkedHashMap<>(keys(base, baseScope.get(base), baseScope, deeper));
        keys.forEach((key, over) -> {
            ComposeNodes.Entry under = merged.get(key);
            merged.put(key, under == null ? over : new ComposeNodes.Entry(over.key(), merge(key, under.value(), over.value())));
        });
        return merged;
    }

    private Node merge(String key, Node under, Node over) {
        if (under instanceof MappingNode && over instanceof MappingNode) {
            Map<String, ComposeNodes.Entry> a = nodes.entries(under, key);
            Map<String, ComposeNodes.Entry> b = nodes.entries(over, key);
            List<NodeTuple> tuples = new ArrayList<>();
            a.forEach((k, e) -> {
                if (!b.containsKey(k)) {
                    tuples.add(new NodeTuple(e.key(), e.value()));
                }
            });
            b.forEach((k, e) -> tuples.add(new NodeTuple(e.key(), a.containsKey(k) ? merge(k, a.get(k).value(), e.value()) : e.value())));
            return made(over, new MappingNode(Tag.MAP, true, tuples, over.getStartMark(), over.getEndMark(), DumperOptions.FlowStyle.BLOCK));
        }
        if (under instanceof SequenceNode a && over instanceof SequenceNode b && !REPLACED_LISTS.contains(key)) {
            List<Node> items = new ArrayList<>(a.getValue());
            items.addAll(b.getValue());
            return made(over, new SequenceNode(Tag.SEQ, true, items, over.getStartMark(), over.getEndMark(), DumperOptions.FlowStyle.BLOCK));
        }
        return over;
    }

    /** A merged node is reported where its overriding part was written. */
    private Node made(Node over, Node merged) {
        nodes.alias(merged, over);
        return merged;
    }
}
