package dev.autorebuild.web;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class EventViewTest {
    private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
    private final Component web = Component.of("shop", "web");

    @Test
    void fieldsAreTheEventsOwn_componentsByName_durationsInMs_emptyOptionalsLeftOut() {
        EventView failed = EventView.of(new RebuildEvent.BuildFailed(web, Optional.empty(), "boom", Duration.ofMillis(1500)), AT);
        assertThat(failed.type()).isEqualTo("BuildFailed");
        assertThat(failed.at()).isEqualTo(AT);
        assertThat(failed.data()).containsExactly(Map.entry("component", "web"), Map.entry("message", "boom"), Map.entry("tookMs", 1500L));
        assertThat(failed.component()).contains("web");

        EventView step = EventView.of(new RebuildEvent.BuildFailed(web, Optional.of("RUN make"), "exit 2", Duration.ZERO), AT);
        assertThat(step.data()).containsEntry("step", "RUN make");
    }

    @Test
    void listsOfComponentsBecomeNames_andWorkspaceWideEventsHaveNoComponent() {
        EventView watching = EventView.of(new RebuildEvent.Watching(java.nio.file.Path.of("/ws"), List.of(web), Duration.ofMillis(40)), AT);
        assertThat(watching.data()).containsEntry("workspace", "/ws").containsEntry("components", List.of("web")).containsEntry("setupMs", 40L);
        assertThat(watching.component()).isEmpty();
        assertThat(EventView.of(new RebuildEvent.Rescan("lost events", List.of("web")), AT).data())
                .containsEntry("components", List.of("web"));
    }
}
