package dev.autorebuild.cli;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class LiveLinesTest {
    private final LiveLines.Row building = new LiveLines.Row("frontend", "building", LiveLines.step("Step 3/7 : COPY public/ /www/"),
            "", Duration.ofMillis(2345));
    private final LiveLines.Row failed = new LiveLines.Row("api", "failed", Optional.empty(), "at \"RUN make\": exit 2\nmore", Duration.ZERO);
    private final LiveLines.Row idle = new LiveLines.Row("backend", "idle", Optional.empty(), "built 12:00:01 in 560ms", Duration.ZERO);

    @Test
    void theClassicBuildersSteps_areRecognised() {
        assertThat(LiveLines.step("Step 3/7 : COPY public/ /www/")).contains("Step 3/7 COPY public/ /www/");
        assertThat(LiveLines.step(" ---> Using cache")).isEmpty();
    }

    @Test
    void buildKitsSteps_areRecognised_andItsOtherLinesAreNot() {
        assertThat(LiveLines.step("#6 [stage-0 3/4] RUN make")).contains("Step 3/4 RUN make");
        assertThat(LiveLines.step("#6 [3/4] RUN make")).contains("Step 3/4 RUN make");
        assertThat(LiveLines.step("#1 [internal] load build definition from Dockerfile")).isEmpty();
        assertThat(LiveLines.step("#6 DONE 0.3s")).isEmpty();
    }

    @Test
    void oneLinePerComponent_withSpinnerStepAndTime_withoutColourUnderNoColor() {
        List<String> lines = LiveLines.render(List.of(building, failed, idle), 1, false, 120);
        assertThat(lines).containsExactly(
                "⠙ frontend  building  Step 3/7 COPY public/ /www/  2.3s",
                "✖ api       failed    at \"RUN make\": exit 2",
                "✔ backend   idle      built 12:00:01 in 560ms");
        assertThat(String.join("", lines)).doesNotContain("\u001b[");
    }

    @Test
    void theSpinnerTurns_andColoursMarkTheState() {
        assertThat(LiveLines.render(List.of(building), 2, false, 120).get(0)).startsWith("⠹ ");
        List<String> coloured = LiveLines.render(List.of(building, failed, idle), 0, true, 120);
        assertThat(coloured.get(0)).startsWith(LiveLines.YELLOW + "⠋" + LiveLines.RESET);
        assertThat(coloured.get(1)).startsWith(LiveLines.RED + "✖" + LiveLines.RESET);
        assertThat(coloured.get(2)).startsWith(LiveLines.GREEN + "✔" + LiveLines.RESET);
    }

    @Test
    void longLines_areCutToTheTerminalsWidth() {
        assertThat(LiveLines.render(List.of(building), 0, false, 30).get(0)).hasSize(30).endsWith("…");
    }
}
