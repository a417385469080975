package dev.autorebuild.web;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.metrics.LabeledCounter;
import dev.autorebuild.core.metrics.LabeledHistogram;
import dev.autorebuild.core.metrics.PrometheusText;
import dev.autorebuild.engine.PipelineCounters;
import dev.autorebuild.engine.RebuildListener;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The daemon's Prometheus metrics (served at {@code /q/metrics}, behind the token): builds, redeploys and
 * live syncs from the engine's events, file events and drops from the pipeline's counters, then the JVM's
 * and the process's own ({@link JvmMetrics}). Label names are written in alphabetical order.
 */
public final class DaemonMetrics implements RebuildListener {
    /** Build times from a cached no-op to a slow full build, in seconds: a few fixed buckets. */
    private static final double[] BUCKETS = {0.25, 0.5, 1, 2, 5, 10, 30, 60, 300};

    private final LabeledCounter builds = new LabeledCounter("dab_builds_total", "image builds", "builder", "component", "result");
    private final LabeledHistogram buildTimes = new LabeledHistogram("dab_build_duration_seconds", "how long builds took", BUCKETS,
            "builder", "component", "result");
    private final LabeledCounter redeploys = new LabeledCounter("dab_redeploys_total", "container redeploys", "component", "result");
    private final LabeledCounter syncs = new LabeledCounter("dab_syncs_total", "live syncs into running containers (develop.watch)",
            "component", "result");
    private final LabeledHistogram syncTimes = new LabeledHistogram("dab_sync_duration_seconds", "how long live syncs took", BUCKETS, "component");
    /** The builder of each component's build in progress, for the label of its outcome. */
    private final Map<String, String> builders = new ConcurrentHashMap<>();
    private final AtomicReference<PipelineCounters> pipeline = new AtomicReference<>();

    /** The pipeline's counters, read at each scrape. */
    public void bind(PipelineCounters counters) {
        pipeline.set(counters);
    }

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
            redeploys.increment(r.component().folder(), "succeeded");
        } else if (event instanceof RebuildEvent.RedeployFailed r) {
            redeploys.increment(r.component().folder(), "failed");
        } else if (event instanceof RebuildEvent.Synced s) {
            syncs.increment(s.component().folder(), "succeeded");
            syncTimes.observe(seconds(s.took()), s.component().folder());
        } else if (event instanceof RebuildEvent.SyncFailed s) {
            syncs.increment(s.component().folder(), "failed");
        }
    }

    /** Everything, in Prometheus's text format. */
    public String scrape() {
        PrometheusText out = new PrometheusText();
        builds.writeTo(out);
        buildTimes.writeTo(out);
        redeploys.writeTo(out);
        syncs.writeTo(out);
        syncTimes.writeTo(out);
        Optional.ofNullable(pipeline.get()).ifPresent(counters -> writePipeline(counters, out));
        JvmMetrics.writeTo(out);
        return out.text();
    }

    private static void writePipeline(PipelineCounters counters, PrometheusText out) {
        count(out, "dab_file_events_total", "file events the watcher delivered", counters.fileEvents.get());
        // ignored: inside a component but excluded by its ignore files, whitelist or blacklist;
        // unchanged-by-hash: the files are byte-identical to what the image was built from
        String dropped = "dab_file_events_dropped_total";
        out.family(dropped, PrometheusText.Type.COUNTER, "file events that led to no build, by reason: ignored, outside-components, unchanged-by-hash");
        List<String> reason = List.of("reason");
        out.sample(dropped, reason, List.of("ignored"), counters.ignored.get());
        out.sample(dropped, reason, List.of("outside-components"), counters.outsideComponents.get());
        out.sample(dropped, reason, List.of("unchanged-by-hash"), counters.unchangedByHash.get());
        count(out, "dab_debounce_batches_total", "closed debounce windows, each handled as one batch", counters.debounceBatches.get());
        count(out, "dab_rescans_total", "full rescans after lost events (watch queue overflow) or rule changes", counters.rescans.get());
        out.family("dab_watched_folders", PrometheusText.Type.GAUGE, "folders watched under the workspace (one inotify watch each)")
                .sample("dab_watched_folders", counters.watchedFolders.get());
    }

    private static void count(PrometheusText out, String name, String help, long value) {
        out.family(name, PrometheusText.Type.COUNTER, help).sample(name, value);
    }

    private void build(String component, String result, Duration took) {
        // "none": it failed before a builder was chosen
        String builder = Optional.ofNullable(builders.remove(component)).orElse("none");
        builds.increment(builder, component, result);
        buildTimes.observe(seconds(took), builder, component, result);
    }

    private static double seconds(Duration took) {
        return took.toNanos() / 1e9;
    }
}
