package dev.autorebuild.web;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.Builder;
import dev.autorebuild.engine.PipelineCounters;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class DaemonMetricsTest {
    private final Component web = Component.of("ws", "web");
    private final DaemonMetrics metrics = new DaemonMetrics();

    @Test
    void buildsAreCountedAndTimed_underTheBuilderTheyStartedOn_andOneThatFailedBeforeAnyBuilder_underNone() {
        metrics.on(new RebuildEvent.BuildStarted(web, 1, Builder.BUILDKIT));
        metrics.on(new RebuildEvent.BuildSucceeded(web, "sha256:i", "sha256:d", Duration.ofMillis(400)));
        metrics.on(new RebuildEvent.BuildFailed(web, Optional.empty(), "no engine", Duration.ofMillis(20)));

        String text = metrics.scrape();

        assertThat(text)
                .contains("# TYPE dab_builds_total counter\n")
                .contains("dab_builds_total{builder=\"buildkit\",component=\"web\",result=\"succeeded\"} 1.0\n")
                .contains("dab_builds_total{builder=\"none\",component=\"web\",result=\"failed\"} 1.0\n")
                .contains("dab_build_duration_seconds_bucket{builder=\"buildkit\",component=\"web\",result=\"succeeded\",le=\"0.25\"} 0.0\n")
                .contains("dab_build_duration_seconds_bucket{builder=\"buildkit\",component=\"web\",result=\"succeeded\",le=\"0.5\"} 1.0\n")
                .contains("dab_build_duration_seconds_count{builder=\"buildkit\",component=\"web\",result=\"succeeded\"} 1.0\n")
                .contains("dab_build_duration_seconds_sum{builder=\"buildkit\",component=\"web\",result=\"succeeded\"} 0.4\n");
    }

    @Test
    void redeploysAndSyncs_areCountedByResult() {
        metrics.on(new RebuildEvent.Redeployed(web, "ws-web", "c1", Duration.ofMillis(900)));
        metrics.on(new RebuildEvent.RedeployFailed(web, "exited", List.of()));
        metrics.on(new RebuildEvent.Synced(web, "sync", 1, 0, Duration.ofMillis(60), Optional.empty()));
        metrics.on(new RebuildEvent.SyncFailed(web, "no shell"));

        assertThat(metrics.scrape())
                .contains("dab_redeploys_total{component=\"web\",result=\"failed\"} 1.0\n")
                .contains("dab_redeploys_total{component=\"web\",result=\"succeeded\"} 1.0\n")
                .contains("dab_syncs_total{component=\"web\",result=\"failed\"} 1.0\n")
                .contains("dab_syncs_total{component=\"web\",result=\"succeeded\"} 1.0\n")
                .contains("dab_sync_duration_seconds_count{component=\"web\"} 1.0\n");
    }

    @Test
    void thePipelinesCounters_areReadAtEachScrape() {
        PipelineCounters counters = new PipelineCounters();
        metrics.bind(counters);
        counters.fileEvents.set(7);
        counters.unchangedByHash.set(2);
        counters.watchedFolders.set(12);

        String first = metrics.scrape();
        counters.fileEvents.set(9);

        assertThat(first)
                .contains("dab_file_events_total 7.0\n")
                .contains("dab_file_events_dropped_total{reason=\"unchanged-by-hash\"} 2.0\n")
                .contains("dab_file_events_dropped_total{reason=\"ignored\"} 0.0\n")
                .contains("dab_rescans_total 0.0\n")
                .contains("dab_watched_folders 12.0\n");
        assertThat(metrics.scrape()).contains("dab_file_events_total 9.0\n");
    }

    @Test
    void theJvmsAndTheProcesssOwn_areThere_andTheResidentSizeIsWhatPsSays() throws Exception {
        String text = metrics.scrape();

        List<String> families = Arrays.stream(text.split("\n")).filter(l -> l.startsWith("# TYPE ")).map(l -> l.split(" ")[2]).toList();
        assertThat(families).contains("jvm_memory_used_bytes", "jvm_memory_committed_bytes", "jvm_memory_max_bytes",
                "jvm_buffer_memory_used_bytes", "jvm_gc_collection_seconds", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                "process_cpu_seconds_total", "process_resident_memory_bytes", "process_files_open_files", "process_start_time_seconds",
                "process_uptime_seconds", "system_cpu_count");
        assertThat(text).containsPattern("jvm_memory_used_bytes\\{area=\"heap\",id=\"[^\"]+\"} \\d");
        assertThat(families).doesNotHaveDuplicates();

        double rss = Double.parseDouble(text.lines().filter(l -> l.startsWith("process_resident_memory_bytes ")).findFirst().orElseThrow()
                .split(" ")[1]);
        // ps writes into a file, not a pipe, and is waited for with a deadline: a hung ps fails the test, never hangs it
        java.nio.file.Path out = java.nio.file.Files.createTempFile("ps-rss", ".txt");
        try {
            Process ps = new ProcessBuilder("ps", "-o", "rss=", "-p", Long.toString(ProcessHandle.current().pid()))
                    .redirectErrorStream(true).redirectOutput(out.toFile()).start();
            if (!ps.waitFor(10, TimeUnit.SECONDS)) {
                ps.destroyForcibly();
            }
            assertThat(ps.isAlive()).as("ps answered within 10 s: " + java.nio.file.Files.readString(out)).isFalse();
            assertThat(ps.exitValue()).as("ps: " + java.nio.file.Files.readString(out)).isZero();
            double psBytes = Long.parseLong(java.nio.file.Files.readString(out).trim()) * 1024.0;
            assertThat(rss).as("VmRSS against ps's RSS (this JVM allocates between the two reads)")
                    .isCloseTo(psBytes, org.assertj.core.data.Offset.offset(32.0 * 1024 * 1024));
        } finally {
            java.nio.file.Files.deleteIfExists(out);
        }
    }
}
