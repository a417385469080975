package dev.autorebuild.bench;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.support.TestWorkspace;

import java.time.Duration;
import java.util.List;

/** Scenario 3: byte-identical rewrites (editors, formatters, git checkouts of the same blob) build nothing. */
final class NoOpWrites implements Bench.Scenario {
    private static final int FILES = 10;

    @Override
    public String title() {
        return "byte-identical rewrites -> no builds";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        TestWorkspace ws = new TestWorkspace(context.workspace("noop"));
        ws.component("web");
        for (int f = 0; f < FILES; f++) {
            ws.write("web/src/file" + f + ".txt", "content of file " + f + "\n");
        }
        int writes = context.size(1000, 20);
        Duration quiet = Duration.ofMillis(50);
        try (InProcessEngine engine = InProcessEngine.withQuietPeriod(ws.root(), quiet).awaitSettled("web")) {
            int mark = engine.events.mark();
            for (int i = 0; i < writes; i++) {
                int f = i % FILES;
                ws.write("web/src/file" + f + ".txt", "content of file " + f + "\n");
                if (i % 10 == 9) {
                    Thread.sleep(quiet.toMillis() + 20); // let windows close, so the rewrites are judged in many batches, not one
                }
            }
            // every rewrite is judged once the events counted as "no content change" cover them all
            long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
            while (judged(engine, mark) < writes && System.nanoTime() < deadline) {
                TimedEvents.pause();
            }
            Thread.sleep(quiet.toMillis() * 4); // a build, if one were coming, would have started by now
            long builds = engine.builds(mark, "web");
            long judged = judged(engine, mark);
            return List.of(new Result("3 no-op", writes + " byte-identical rewrites", builds + " builds (" + judged + " events judged unchanged by hash)",
                    "0 builds", builds == 0 && judged >= writes));
        }
    }

    private static long judged(InProcessEngine engine, int mark) {
        return engine.events.since(mark, RebuildEvent.NoContentChange.class).stream().mapToLong(RebuildEvent.NoContentChange::events).sum();
    }
}
