package dev.autorebuild.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConsoleReporterTest {
    @Test
    void listed_namesAtMostFivePaths_thenSaysHowManyMore() {
        assertThat(ConsoleReporter.listed(List.of("web/a", "web/b"), 2)).isEqualTo("web/a, web/b");
        assertThat(ConsoleReporter.listed(List.of("a", "b", "c", "d", "e", "f", "g"), 2_000))
                .isEqualTo("a, b, c, d, e (+1995 more)");
    }
}
