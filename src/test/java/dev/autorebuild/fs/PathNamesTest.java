package dev.autorebuild.fs;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class PathNamesTest {
    private final Path base = Path.of("/work/ws");

    @Test
    void aFileUnderTheBase_isItsSlashSeparatedName() {
        assertThat(PathNames.relative(base, base.resolve("web/src/app.js"))).isEqualTo("web/src/app.js");
        assertThat(PathNames.relative(base, base.resolve("odd name\\with backslash"))).isEqualTo("odd name\\with backslash");
    }

    @Test
    void theBaseItself_isTheEmptyName_andResolvesBackToTheBase() {
        assertThat(PathNames.relative(base, base)).isEmpty();
        assertThat(PathNames.resolve(base, "")).isEqualTo(base);
        assertThat(PathNames.resolve(base, "web/src/app.js")).isEqualTo(Path.of("/work/ws/web/src/app.js"));
    }
}
