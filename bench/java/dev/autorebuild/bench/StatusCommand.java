package dev.autorebuild.bench;

import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scenario 8: {@code auto-rebuild -s status} wall time, the way users run it ({@code java -jar}), with
 * the JVM's default flags, with C1 only, and with an application class-data archive (AppCDS, made once).
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
        Path archive = context.scratch().resolve("status.jsa");
        Map<String, List<String>> variants = new LinkedHashMap<>();
        variants.put("default flags", List.of());
        variants.put("-XX:TieredStopAtLevel=1", List.of("-XX:TieredStopAtLevel=1"));
        variants.put("AppCDS + TieredStopAtLevel=1", List.of("-XX:SharedArchiveFile=" + archive, "-XX:TieredStopAtLevel=1"));
        List<Result> results = new ArrayList<>();
        try (Daemon daemon = Daemon.start(ws.root())) {
            run(daemon, List.of("-XX:ArchiveClassesAtExit=" + archive)); // dump the archive once
            for (var variant : variants.entrySet()) {
                List<Double> times = new ArrayList<>();
                for (int i = 0; i < context.size(20, 2); i++) {
                    times.add(run(daemon, variant.getValue()));
                }
                Stats s = Stats.of(times);
                results.add(new Result("8 status", "-s status, " + variant.getKey(), s.ms(), "well under 1 s", s.p99() < 1000));
            }
        }
        return results;
    }

    private static double run(Daemon daemon, List<String> jvmFlags) throws Exception {
        List<String> command = new ArrayList<>(List.of("java"));
        command.addAll(jvmFlags);
        command.addAll(List.of("-jar", PackagedApp.JAR.toString(), "-s", "status", "-t", daemon.workspace.toString()));
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
