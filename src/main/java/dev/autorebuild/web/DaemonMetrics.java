package dev.autorebuild.web;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.PipelineCounters;
import dev.autorebuild.engine.RebuildListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The daemon's Prometheus metrics (served at {@code /q/metrics}, behind the token): builds and
 * redeploys from the engine's events, file events and drops from the pipeline's counters. Names as
 * Prometheus shows them: {@code dab_builds_total{component,result,builder}}, {@code dab_build_duration_seconds},
 * {@code dab_redeploys_total{component,result}}, {@code dab_file_events_total},
 * {@code dab_file_events_dropped_total{reason}}, {@code dab_debounce_batches_total}, {@code dab_rescans_total},
 * {@code dab_watched_folders}.
 */
public final class DaemonMetrics implements RebuildListener {
    /** Build times from a cached no-op to a slow full build; a few fixed buckets rather than micrometer's ~70. */
    private static final java.time.Duration[] BUCKETS = java.util.stream.LongStream.of(250, 500, 1_000, 2_000, 5_000, 10_000, 30_000, 60_000, 300_000)
            .mapToObj(java.time.Duration::ofMillis).toArray(java.time.Duration[]::new);

    private final MeterRegistry registry;

    public DaemonMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The pipeline's counters, read when scraped. */
    public void bind(PipelineCounters counters) {
        counter("dab.file.events", counters.fileEvents, "file events the watcher delivered");
        // ignored: inside a component but excluded by its ignore files, whitelist or blacklist;
        // unchanged-by-hash: the files are byte-identical to what the image was built from
        dropped("ignored", counters.ignored);
        dropped("outside-components", counters.outsideComponents);
        dropped("unchanged-by-hash", counters.unchangedByHash);
        counter("dab.debounce.batches", counters.debounceBatches, "closed debounce windows, each handled as one batch");
        counter("dab.rescans", counters.rescans, "full rescans after lost events (watch queue overflow) or rule changes");
        Gauge.builder("dab.watched.folders", counters.watchedFolders, AtomicLong::get)
                .description("folders watched under the workspace (one inotify watch each)").register(registry);
    }

    /** The builder of each component's build in progress, for the label of its outcome. */
    private final java.util.Map<String, String> builders = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public void on(RebuildEvent event) {
        if (event instanceof RebuildEvent.BuildStarted s) {
            builders.put(s.component().folder(), s.builder().key());
        } else if (event instanceof RebuildEvent.BuildSucceeded b) {
            build(b.component().folder(), "succeeded", b.took());
        } else if (event instanceof RebuildEvent.BuildFailed f) {
            build(f.component().folder(), "failed", f.took());
        } else if (event instanceof RebuildEvent.BuildCancelled c) {
            build(c.component().folder(), "cancelled", c.took());
        } else if (event instanceof RebuildEvent.Redeployed r) {
            redeploy(r.component().folder(), "succeeded");
        } else if (event instanceof RebuildEvent.RedeployFailed r) {
            redeploy(r.component().folder(), "failed");
        } else if (event instanceof RebuildEvent.Synced s) {
            Counter.builder("dab.syncs").description("live syncs into running containers (develop.watch)").tag("component", s.component().folder())
                    .tag("result", "succeeded").register(registry).increment();
            Timer.builder("dab.sync.duration").description("how long live syncs took").tag("component", s.component().folder())
                    .serviceLevelObjectives(BUCKETS).register(registry).record(s.took());
        } else if (event instanceof RebuildEvent.SyncFailed s) {
            Counter.builder("dab.syncs").description("live syncs into running containers (develop.watch)").tag("component", s.component().folder())
                    .tag("result", "failed").register(registry).increment();
        }
    }

    private void build(String component, String result, java.time.Duration took) {
        // "none": it failed before a builder was chosen
        String builder = java.util.Optional.ofNullable(builders.remove(component)).orElse("none");
        Counter.builder("dab.builds").description("image builds").tag("component", component).tag("result", result)
                .tag("builder", builder).register(registry).increment();
        Timer.builder("dab.build.duration").description("how long builds took").tag("component", component).tag("result", result)
                .tag("builder", builder).serviceLevelObjectives(BUCKETS).register(registry).record(took);
    }

    private void redeploy(String component, String result) {
        Counter.builder("dab.redeploys").description("container redeploys").tag("component", component).tag("result", result)
                .register(registry).increment();
    }

    private void counter(String name, AtomicLong value, String description) {
        FunctionCounter.builder(name, value, AtomicLong::get).description(description).register(registry);
    }

    private void dropped(String reason, AtomicLong value) {
        FunctionCounter.builder("dab.file.events.dropped", value, AtomicLong::get)
                .description("file events that led to no build, by reason: ignored, outside-components, unchanged-by-hash")
                .tag("reason", reason).register(registry);
    }
}
