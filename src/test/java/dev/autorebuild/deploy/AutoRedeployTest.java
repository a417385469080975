package dev.autorebuild.deploy;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.config.DabConfig;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The parts of automatic redeploy that need no scheduler: off, and delay 0 (the delayed path is proven by DaemonIT and measured by bench 2b). */
class AutoRedeployTest {
    private final Component web = Component.of("shop", "web");
    private final AtomicInteger redeploys = new AtomicInteger();

    private AutoRedeploy with(boolean auto, Duration delay) {
        DabConfig d = DabConfig.DEFAULTS;
        DabConfig config = new DabConfig(d.triggers(), d.debounce(), new DabConfig.Deployment(auto, delay), d.build(),
                d.useGitignore(), d.quitTimeout(), d.watch(), d.http(), d.jsonLog(), d.notifyDesktop(), d.components(), d.name());
        return new AutoRedeploy(null, () -> config, redeploys::incrementAndGet); // no scheduler: these paths must not need one
    }

    @Test
    void off_redeploysNothing() {
        with(false, Duration.ZERO).on(new RebuildEvent.BuildSucceeded(web, "sha256:i", "sha256:d", Duration.ofMillis(5)));
        assertThat(redeploys).hasValue(0);
    }

    @Test
    void delayZero_redeploysRightAfterEachSuccessfulBuild_andNeverAfterAFailedOne() {
        AutoRedeploy auto = with(true, Duration.ZERO);
        auto.on(new RebuildEvent.BuildSucceeded(web, "sha256:i", "sha256:d", Duration.ofMillis(5)));
        auto.on(new RebuildEvent.BuildFailed(web, java.util.Optional.empty(), "boom", Duration.ofMillis(5)));
        auto.on(new RebuildEvent.BuildSucceeded(web, "sha256:j", "sha256:e", Duration.ofMillis(5)));
        assertThat(redeploys).hasValue(2);
    }
}
