package dev.autorebuild.bench;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.support.TestWorkspace;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Scenario 1: a save, then how long until its build starts, for three quiet periods. */
final class SaveToBuildLatency implements Bench.Scenario {
    @Override
    public String title() {
        return "save -> build start, per quiet period";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        List<Result> results = new ArrayList<>();
        for (int quietMs : new int[] {50, 200, 500}) {
            TestWorkspace ws = new TestWorkspace(context.workspace("q" + quietMs));
            ws.component("web");
            List<Double> latencies = new ArrayList<>();
            try (InProcessEngine engine = InProcessEngine.withQuietPeriod(ws.root(), Duration.ofMillis(quietMs)).awaitSettled("web")) {
                for (int i = 0; i < context.size(30, 3); i++) {
                    int mark = engine.events.mark();
                    ws.write("web/index.html", "save " + i + "\n");
                    long saved = System.nanoTime();
                    long started = engine.events.await(mark, RebuildEvent.BuildStarted.class, e -> true, InProcessEngine.BUILD).nanos();
                    latencies.add((started - saved) / 1e6);
                    engine.events.await(mark, RebuildEvent.BuildSucceeded.class, e -> true, InProcessEngine.BUILD);
                }
            }
            Stats s = Stats.of(latencies);
            results.add(new Result("1 latency", "save -> build start, quiet " + quietMs + " ms", s.ms(),
                    "p50 <= " + (quietMs + 20) + " ms, p99 <= " + (quietMs + 50) + " ms",
                    s.median() <= quietMs + 20 && s.p99() <= quietMs + 50));
        }
        return results;
    }
}
