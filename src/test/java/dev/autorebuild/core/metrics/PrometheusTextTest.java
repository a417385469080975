package dev.autorebuild.core.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrometheusTextTest {

    @Test
    void aFamily_isItsHelpAndTypeLines_thenItsSamples() {
        String text = new PrometheusText()
                .family("dab_rescans_total", PrometheusText.Type.COUNTER, "full rescans")
                .sample("dab_rescans_total", 0)
                .family("dab_builds_total", PrometheusText.Type.COUNTER, "image builds")
                .sample("dab_builds_total", List.of("builder", "component"), List.of("buildkit", "web"), 3)
                .text();

        assertThat(text).isEqualTo("""
                # HELP dab_rescans_total full rescans
                # TYPE dab_rescans_total counter
                dab_rescans_total 0.0
                # HELP dab_builds_total image builds
                # TYPE dab_builds_total counter
                dab_builds_total{builder="buildkit",component="web"} 3.0
                """);
    }

    @Test
    void labelValues_escapeBackslashQuoteAndLineFeed_helpEscapesBackslashAndLineFeed() {
        String text = new PrometheusText()
                .family("x", PrometheusText.Type.GAUGE, "a \\ b\nc \"quoted\"")
                .sample("x", List.of("component"), List.of("we\"ird\\name\nhere"), 1)
                .text();

        assertThat(text).isEqualTo("""
                # HELP x a \\\\ b\\nc "quoted"
                # TYPE x gauge
                x{component="we\\"ird\\\\name\\nhere"} 1.0
                """);
    }

    @Test
    void numbers_areSpelledAsTheFormatReadsThem() {
        assertThat(PrometheusText.number(Double.POSITIVE_INFINITY)).isEqualTo("+Inf");
        assertThat(PrometheusText.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
        assertThat(PrometheusText.number(Double.NaN)).isEqualTo("NaN");
        assertThat(PrometheusText.number(0.25)).isEqualTo("0.25");
        assertThat(PrometheusText.number(14_539_184)).isEqualTo("1.4539184E7");
        assertThat(PrometheusText.number(-1)).isEqualTo("-1.0");
    }

    @Test
    void labelNamesAndValues_thatDoNotPairUp_areRefused() {
        assertThatThrownBy(() -> new PrometheusText().sample("x", List.of("a", "b"), List.of("1"), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x: 2 label names but 1 values");
    }
}
