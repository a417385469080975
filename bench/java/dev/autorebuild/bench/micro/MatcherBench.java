package dev.autorebuild.bench.micro;

import dev.autorebuild.core.ignore.IgnoreFile;
import dev.autorebuild.core.ignore.IgnoreRules;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;

/** The gitignore matcher on every file event: a realistic .dockerignore plus a nested .gitignore, against typical paths. */
@State(Scope.Benchmark)
public class MatcherBench {
    private final IgnoreRules rules = new IgnoreRules(List.of(
            IgnoreFile.parse("", ".dockerignore", "node_modules/\n*.log\n**/*.tmp\nbuild/\n!build/keep.txt\ndocs/**/*.md\n.git\ncoverage/\n*.swp\n"),
            IgnoreFile.parse("src", "src/.gitignore", "generated/\n*.class\n!important.class\n")));
    private final String[] paths = {
            "src/main/java/shop/Cart.java", "node_modules/react/index.js", "build/keep.txt", "src/generated/Api.java",
            "docs/guide/setup.md", "src/main/resources/app.properties", "logs/today.log", "src/important.class"};
    private int next;

    @Benchmark
    public boolean matchOnePath() {
        String path = paths[next++ & 7];
        return rules.isIgnored(path, false);
    }
}
