package dev.autorebuild.core.metrics;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LabeledMetricsTest {

    @Test
    void aCounter_countsPerCombinationOfLabelValues_writtenInTheirOrder() {
        LabeledCounter redeploys = new LabeledCounter("dab_redeploys_total", "container redeploys", "component", "result");
        redeploys.increment("web", "succeeded");
        redeploys.increment("api", "failed");
        redeploys.increment("web", "succeeded");
        redeploys.increment("api", "succeeded");

        PrometheusText out = new PrometheusText();
        redeploys.writeTo(out);

        assertThat(out.text()).isEqualTo("""
                # HELP dab_redeploys_total container redeploys
                # TYPE dab_redeploys_total counter
                dab_redeploys_total{component="api",result="failed"} 1.0
                dab_redeploys_total{component="api",result="succeeded"} 1.0
                dab_redeploys_total{component="web",result="succeeded"} 2.0
                """);
    }

    @Test
    void aCounterNeverIncremented_writesNothing() {
        PrometheusText out = new PrometheusText();
        new LabeledCounter("dab_syncs_total", "live syncs", "component").writeTo(out);
        assertThat(out.text()).isEmpty();
    }

    @Test
    void theWrongNumberOfLabelValues_isRefusedWithTheFamilysLabels() {
        LabeledCounter builds = new LabeledCounter("dab_builds_total", "image builds", "builder", "component", "result");
        assertThatThrownBy(() -> builds.increment("web", "succeeded"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dab_builds_total has labels [builder, component, result] but was given 2 value(s)");
    }

    @Test
    void aHistogram_writesCumulativeBuckets_aValueOnABoundCountsInIt_thenCountAndSum() {
        LabeledHistogram times = new LabeledHistogram("dab_build_duration_seconds", "build times", new double[] {0.25, 1, 5}, "component");
        times.observe(0.25, "web"); // on the bound: le="0.25"
        times.observe(0.3, "web");
        times.observe(0.75, "web");
        times.observe(7, "web");   // over every bound: +Inf only

        PrometheusText out = new PrometheusText();
        times.writeTo(out);

        assertThat(out.text()).isEqualTo("""
                # HELP dab_build_duration_seconds build times
                # TYPE dab_build_duration_seconds histogram
                dab_build_duration_seconds_bucket{component="web",le="0.25"} 1.0
                dab_build_duration_seconds_bucket{component="web",le="1.0"} 3.0
                dab_build_duration_seconds_bucket{component="web",le="5.0"} 3.0
                dab_build_duration_seconds_bucket{component="web",le="+Inf"} 4.0
                dab_build_duration_seconds_count{component="web"} 4.0
                dab_build_duration_seconds_sum{component="web"} 8.3
                """);
    }

    @Test
    void bucketBounds_thatDoNotAscend_areRefused() {
        assertThatThrownBy(() -> new LabeledHistogram("h", "x", new double[] {1, 1}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("h: bucket bounds must ascend, 1.0 follows 1.0");
    }
}
