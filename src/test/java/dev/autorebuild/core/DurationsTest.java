package dev.autorebuild.core;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DurationsTest {
    @Test
    void parse_acceptsTheFormsPeopleWrite() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("2s")).isEqualTo(Duration.ofSeconds(2));
        assertThat(Durations.parse("10m")).isEqualTo(Duration.ofMinutes(10));
        assertThat(Durations.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
        assertThat(Durations.parse("0")).isEqualTo(Duration.ZERO);
        assertThat(Durations.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(Durations.parse("0.25h")).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void parse_rejectsWhatItCannotRead_withAHint() {
        for (String bad : new String[]{"", "10", "5 minutes", "1,5s", "1.s", "-2s", "2x"}) {
            assertThatThrownBy(() -> Durations.parse(bad)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("500ms");
        }
    }

    @Test
    void format_roundTrips() {
        for (String text : new String[]{"200ms", "2s", "1.5s", "10m", "1h30m", "0"}) {
            assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
        }
    }

    @Test
    void format_writesADecimalPoint_inEveryLocale() {
        java.util.Locale before = java.util.Locale.getDefault();
        try {
            java.util.Locale.setDefault(java.util.Locale.GERMANY);
            assertThat(Durations.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
        } finally {
            java.util.Locale.setDefault(before);
        }
    }
}
