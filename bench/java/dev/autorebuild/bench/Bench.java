package dev.autorebuild.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The benchmark driver behind {@code bench/run [--smoke] [scenario…]}: runs the end-to-end scenarios
 * against the real engine and real files, prints a table, and writes {@code bench/results/<date>.md}.
 * {@code --smoke} runs every scenario with tiny sizes, to prove the harness works, not to measure.
 */
public final class Bench {

    /** What every scenario gets: sizes (full or smoke) and a scratch folder that is removed afterwards. */
    record Context(boolean smoke, Path scratch) {
        int size(int full, int smokeSize) {
            return smoke ? smokeSize : full;
        }

        Path workspace(String name) throws IOException {
            return Files.createDirectories(scratch.resolve(name));
        }
    }

    interface Scenario {
        String title();

        List<Result> run(Context context) throws Exception;
    }

    static final Map<String, Scenario> SCENARIOS = new LinkedHashMap<>();
    /** Scenarios only run when named (they take half an hour). */
    static final Map<String, Scenario> LONG_RUNS = new LinkedHashMap<>();

    static {
        SCENARIOS.put("latency", new SaveToBuildLatency());
        SCENARIOS.put("redeploy", new SaveToContainerAnswering());
        SCENARIOS.put("noop", new NoOpWrites());
        SCENARIOS.put("storm", new Storms());
        SCENARIOS.put("startup", new StartupOnABigWorkspace());
        SCENARIOS.put("idle", new IdleCost());
        SCENARIOS.put("overhead", new BuildOverhead());
        SCENARIOS.put("status", new StatusCommand());
        SCENARIOS.put("naive", new AgainstTheNaiveLoop());
        SCENARIOS.put("sync", new LiveSyncLatency());
        SCENARIOS.put("remote", new RemoteEngineLatency());
        SCENARIOS.put("swarm", new SwarmRedeployCost());
        LONG_RUNS.put("soak", new Soak());
    }

    private Bench() {}

    public static void main(String[] args) throws Exception {
        boolean smoke = List.of(args).contains("--smoke");
        List<String> chosen = new ArrayList<>(List.of(args).stream().filter(a -> !a.startsWith("--")).toList());
        if (chosen.isEmpty()) {
            chosen.addAll(SCENARIOS.keySet());
        }
        for (String name : chosen) {
            if (!SCENARIOS.containsKey(name) && !LONG_RUNS.containsKey(name)) {
                System.err.println("bench: no scenario '" + name + "'; the scenarios are " + String.join(", ", SCENARIOS.keySet())
                        + ", and (only when named) " + String.join(", ", LONG_RUNS.keySet()));
                System.exit(2);
            }
        }
        String machine = Machine.describe();
        System.out.println("bench: " + machine + (smoke ? " (smoke run: tiny sizes, figures mean nothing)" : ""));
        List<Result> results = new ArrayList<>();
        Path scratch = Files.createTempDirectory("dab-bench");
        try {
            for (String name : chosen) {
                Scenario scenario = SCENARIOS.containsKey(name) ? SCENARIOS.get(name) : LONG_RUNS.get(name);
                System.out.println("bench: " + name + " - " + scenario.title() + " ...");
                long started = System.nanoTime();
                List<Result> got;
                try {
                    got = scenario.run(new Context(smoke, Files.createDirectories(scratch.resolve(name))));
                } catch (Exception | AssertionError e) {
                    got = List.of(new Result(name, "the scenario", "FAILED: " + e, "runs", false));
                    e.printStackTrace();
                }
                got.forEach(r -> System.out.println("  " + r.figure() + ": " + r.measured() + (r.met() == null ? "" : "  [" + r.verdict() + "; target " + r.target() + "]")));
                System.out.printf(Locale.ROOT, "  (%.0f s)%n", (System.nanoTime() - started) / 1e9);
                results.addAll(got);
            }
        } finally {
            Machine.deleteTree(scratch);
        }
        String table = table(results);
        System.out.println();
        System.out.println(table);
        if (!smoke) {
            Path out = Path.of("bench", "results", LocalDate.now() + ".md");
            Files.createDirectories(out.getParent());
            // a day's runs accumulate in one file, each under its own heading
            Files.writeString(out, (Files.exists(out) ? "\n" : "") + "# Benchmark results " + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"))
                    + "\n\n" + machine + "\n\nScenarios: " + String.join(", ", chosen) + "\n\n" + table,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            System.out.println("bench: written to " + out);
        }
        System.exit(results.stream().anyMatch(r -> r.measured().startsWith("FAILED")) ? 1 : 0);
    }

    static String table(List<Result> results) {
        StringBuilder out = new StringBuilder("| scenario | figure | measured | target | |\n|---|---|---|---|---|\n");
        for (Result r : results) {
            out.append("| ").append(r.scenario()).append(" | ").append(r.figure()).append(" | ").append(r.measured())
                    .append(" | ").append(r.target()).append(" | ").append(r.verdict()).append(" |\n");
        }
        return out.toString();
    }
}
