package dev.autorebuild.view;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.Builder;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class BuildHistoryTest {
    private final Component web = Component.of("shop", "web");
    private final Component api = Component.of("shop", "api");
    private final BuildHistory history = new BuildHistory(Clock.fixed(Instant.parse("2026-11-26T10:00:00Z"), ZoneOffset.UTC));

    @Test
    void aRunningBuild_showsItsOutputSoFar_thenItsResult() {
        history.on(new RebuildEvent.BuildStarted(web, 3, Builder.BUILDKIT));
        history.on(new RebuildEvent.BuildOutput(web, "Step 1/2 : FROM busybox"));
        assertThat(history.of("web")).singleElement().satisfies(b -> {
            assertThat(b.result()).isEqualTo(BuildHistory.Result.RUNNING);
            assertThat(b.took()).isEmpty();
            assertThat(b.changedFiles()).isEqualTo(3);
            assertThat(b.logTail()).containsExactly("Step 1/2 : FROM busybox");
        });
        history.on(new RebuildEvent.BuildOutput(web, "Step 2/2 : COPY . /app"));
        history.on(new RebuildEvent.BuildFailed(web, Optional.of("COPY . /app"), "no space", Duration.ofSeconds(2)));
        assertThat(history.of("web")).singleElement().satisfies(b -> {
            assertThat(b.result()).isEqualTo(BuildHistory.Result.FAILED);
            assertThat(b.took()).contains(Duration.ofSeconds(2));
            assertThat(b.detail()).isEqualTo("at \"COPY . /app\": no space");
            assertThat(b.logTail()).containsExactly("Step 1/2 : FROM busybox", "Step 2/2 : COPY . /app");
        });
    }

    @Test
    void itIsBounded_inBuildsAndInLines_newestFirst() {
        for (int i = 0; i < BuildHistory.BUILDS_KEPT + 5; i++) {
            history.on(new RebuildEvent.BuildStarted(web, i, Builder.BUILDKIT));
            for (int line = 0; line < BuildHistory.LINES_KEPT + 10; line++) {
                history.on(new RebuildEvent.BuildOutput(web, "line " + line));
            }
            history.on(new RebuildEvent.BuildSucceeded(web, "sha256:" + i, "digest" + i, Duration.ofMillis(i)));
        }
        assertThat(history.of("web")).hasSize(BuildHistory.BUILDS_KEPT);
        assertThat(history.of("web").get(0).detail()).isEqualTo("sha256:" + (BuildHistory.BUILDS_KEPT + 4));
        assertThat(history.of("web").get(0).logTail()).hasSize(BuildHistory.LINES_KEPT).endsWith("line " + (BuildHistory.LINES_KEPT + 9));
    }

    @Test
    void allComponents_andARemovedComponentIsForgotten() {
        history.on(new RebuildEvent.BuildStarted(web, 1, Builder.BUILDKIT));
        history.on(new RebuildEvent.BuildSucceeded(web, "sha256:w", "d", Duration.ofMillis(5)));
        history.on(new RebuildEvent.BuildStarted(api, 1, Builder.BUILDKIT));
        history.on(new RebuildEvent.BuildSucceeded(api, "sha256:a", "d", Duration.ofMillis(5)));
        assertThat(history.all()).extracting(BuildHistory.Build::component).containsExactlyInAnyOrder("web", "api");
        history.on(new RebuildEvent.ComponentRemoved(api, "its folder is gone"));
        assertThat(history.of("api")).isEmpty();
        assertThat(history.all()).extracting(BuildHistory.Build::component).containsExactly("web");
    }

    @Test
    void aFailureBeforeTheBuildStarted_isStillRecorded() {
        history.on(new RebuildEvent.BuildFailed(web, Optional.empty(), "the engine refused", Duration.ZERO));
        assertThat(history.of("web")).singleElement().satisfies(b -> assertThat(b.result()).isEqualTo(BuildHistory.Result.FAILED));
    }
}
