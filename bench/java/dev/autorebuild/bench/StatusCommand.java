package dev.autorebuild.bench;

import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8: {@code auto-rebuild -s status} wall time, the way users run it: {@code bin/auto-rebuild}
 * (its client path: no picocli model, no Quarkus, AppCDS, C1 only), and for comparison the packaged
 * jar with {@code java -jar} and the JVM's default flags, alternating, against one idle daemon.
 */
final class StatusCommand implements Bench.Scenario {
    @Override
    public String title() {
        return "auto-rebuild -s status wall time";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        TestWorkspace ws = new TestWorkspace(context.workspace("status"));
        ws.component("web");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("bin/auto-rebuild", List.of(PackagedApp.LAUNCHER.toString()));
        variants.put("java -jar, default flags", List.of("java", "-jar", PackagedApp.JAR.toString()));
        Map<String, List<Double>> times = new LinkedHashMap<>();
        variants.keySet().forEach(v -> times.put(v, new ArrayList<>()));
        try (Daemon daemon = Daemon.start(ws.root())) {
            // idle, as the scenario says: until session 21 the first rounds ran during the component's first build
            StartupOnABigWorkspace.awaitAllIdle(daemon);
            run(daemon, variants.get("bin/auto-rebuild")); // the launcher makes its class-data archive at its first run
            for (int i = 0; i < context.size(20, 2); i++) {
                for (var variant : variants.entrySet()) {
                    times.get(variant.getKey()).add(run(daemon, variant.getValue()));
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (var variant : times.entrySet()) {
            Stats s = Stats.of(variant.getValue());
            boolean headline = variant.getKey().equals("bin/auto-rebuild");
            results.add(new Result("8 status", "-s status, " + variant.getKey(), s.ms(), headline ? "p50 <= 250 ms, p99 <= 400 ms" : "(comparison)",
                    !headline || (s.median() <= 250 && s.p99() <= 400)));
        }
        return results;
    }

    private static double run(Daemon daemon, List<String> program) throws Exception {
        List<String> command = new ArrayList<>(program);
        command.addAll(List.of("-s", "status", "-t", daemon.workspace.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("XDG_RUNTIME_DIR", daemon.app.runtimeDir().toString());
        long started = System.nanoTime();
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0 || !out.contains("Dashboard: ")) {
            throw new IllegalStateException("-s status failed: " + out);
        }
        return (System.nanoTime() - started) / 1e6;
    }
}
