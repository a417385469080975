package dev.autorebuild.view;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.build.Builder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class StatusBoardTest {
    private final Component web = Component.of("shop", "web");
    private final Component api = Component.of("shop", "api");
    private final Instant nine = Instant.parse("2026-11-26T09:00:00Z");
    private final StatusBoard board = new StatusBoard(Clock.fixed(nine, ZoneOffset.UTC));

    @Test
    void followsEachComponentThroughQueuedBuildingAndTheResult() {
        board.on(new RebuildEvent.Watching(Path.of("/shop"), List.of(web, api), Duration.ZERO));
        board.on(new RebuildEvent.UpToDate(api, "sha256:aa", 3));
        board.on(new RebuildEvent.BuildWaiting(web, "the container engine does not answer"));
        assertThat(stateOf(web)).isEqualTo(StatusBoard.State.WAITING);
        board.on(new RebuildEvent.BuildQueued(web));
        assertThat(stateOf(web)).isEqualTo(StatusBoard.State.QUEUED);
        board.on(new RebuildEvent.BuildStarted(web, 2, Builder.BUILDKIT));
        assertThat(stateOf(web)).isEqualTo(StatusBoard.State.BUILDING);
        board.on(new RebuildEvent.BuildSucceeded(web, "sha256:img", "sha256:bb", Duration.ofMillis(700)));

        StatusBoard.ComponentStatus status = statusOf(web);
        assertThat(status.state()).isEqualTo(StatusBoard.State.IDLE);
        assertThat(status.lastBuild()).contains(new StatusBoard.LastBuild(nine, Duration.ofMillis(700), true, "sha256:img", Optional.of(Builder.BUILDKIT)));
        assertThat(status.digest()).contains("sha256:bb");
        assertThat(statusOf(api).digest()).contains("sha256:aa");
        assertThat(statusOf(api).lastBuild()).isEmpty();
    }

    @Test
    void aFailedBuild_showsFailed_andKeepsThePreviousDigest() {
        board.on(new RebuildEvent.Watching(Path.of("/shop"), List.of(web), Duration.ZERO));
        board.on(new RebuildEvent.UpToDate(web, "sha256:aa", 1));
        board.on(new RebuildEvent.BuildStarted(web, 1, Builder.BUILDKIT));
        board.on(new RebuildEvent.BuildFailed(web, Optional.of("RUN make"), "exit 2", Duration.ofSeconds(1)));
        assertThat(stateOf(web)).isEqualTo(StatusBoard.State.FAILED);
        assertThat(statusOf(web).lastBuild().orElseThrow().detail()).isEqualTo("at \"RUN make\": exit 2");
        assertThat(statusOf(web).digest()).contains("sha256:aa");
    }

    @Test
    void aQueuedBuildThatFindsNothingToDo_goesBackToIdle_andRedeploysAreRecorded() {
        board.on(new RebuildEvent.Watching(Path.of("/shop"), List.of(web), Duration.ZERO));
        board.on(new RebuildEvent.BuildStarted(web, 1, Builder.BUILDKIT));
        board.on(new RebuildEvent.BuildSucceeded(web, "sha256:img", "sha256:bb", Duration.ofMillis(5)));
        board.on(new RebuildEvent.BuildQueued(web));
        board.on(new RebuildEvent.NoContentChange(web, 0, 0));
        assertThat(stateOf(web)).isEqualTo(StatusBoard.State.IDLE);
        board.on(new RebuildEvent.RedeployFailed(web, "the new container exited with code 1", List.of("boom")));
        assertThat(statusOf(web).lastRedeploy()).contains(new StatusBoard.LastRedeploy(nine, false, "the new container exited with code 1"));
        board.on(new RebuildEvent.Redeployed(web, "shop-web", "c0ffee", Duration.ofSeconds(1)));
        assertThat(statusOf(web).lastRedeploy()).contains(new StatusBoard.LastRedeploy(nine, true, "c0ffee"));
        board.on(new RebuildEvent.ComponentRemoved(web, "its folder is gone"));
        assertThat(board.components()).isEmpty();
    }

    private StatusBoard.State stateOf(Component c) {
        return statusOf(c).state();
    }

    private StatusBoard.ComponentStatus statusOf(Component c) {
        return board.components().stream().filter(s -> s.component().equals(c)).findFirst().orElseThrow();
    }
}
