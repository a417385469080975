package dev.autorebuild.bench.micro;

import dev.autorebuild.core.debounce.DebounceSettings;
import dev.autorebuild.core.debounce.QuietPeriodDebouncer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.time.Duration;
import java.util.List;

/** The per-component debouncer on the pipeline thread: one event offered, and due windows drained, as each event costs. */
@State(Scope.Benchmark)
public class DebounceBench {
    private final QuietPeriodDebouncer<String, String> debouncer =
            new QuietPeriodDebouncer<>(new DebounceSettings(Duration.ofMillis(200), Duration.ofSeconds(2)));
    private final String[] components = {"frontend", "backend", "api", "worker"};
    private long now;
    private int next;

    @Benchmark
    public List<?> offerAndDrain() {
        now += 1_000_000; // 1 ms between events: windows close every 200 events of a key
        int i = next++;
        debouncer.offer(components[i & 3], "src/file" + (i & 1023) + ".txt", now);
        return debouncer.drainDue(now);
    }
}
