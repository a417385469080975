package dev.autorebuild.config;

import dev.autorebuild.core.config.ConfigProblem;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.deploy.SwarmSettings;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A Compose service's deploy: read as docker stack deploy reads it, for a Swarm service; dab.yml's own settings win key by key. */
class ComposeDeployTest {
    @TempDir
    Path ws;

    @BeforeEach
    void workspace() throws IOException {
        Files.createDirectories(ws.resolve("web"));
        Files.writeString(ws.resolve("web/Dockerfile"), "FROM busybox:stable\n");
    }

    private ComposeReader.Result read(String compose) throws IOException {
        Files.writeString(ws.resolve("compose.yaml"), compose);
        return ComposeReader.read(ws, ws.resolve("compose.yaml"), "compose.yaml", Map.of());
    }

    @Test
    void replicasAndUpdateConfig_areRead_andTheRestOfDeployIsSaidNotToApply() throws IOException {
        ComposeReader.Result r = read("""
                services:
                  web:
                    build: ./web
                    deploy:
                      replicas: 3
                      resources: {limits: {memory: 64M}}
                      update_config:
                        parallelism: 2
                        delay: 2s
                        order: start-first
                        failure_action: pause
                        monitor: 3s
                        max_failure_ratio: 0.1
                """);
        assertThat(r).as("%s", r).isInstanceOf(ComposeReader.Read.class);
        ComposeReader.Project p = ((ComposeReader.Read) r).project();
        SwarmSettings swarm = p.components().get("web").run().swarm();
        assertThat(swarm.replicas()).isEqualTo(3);
        assertThat(swarm.update()).isEqualTo(new SwarmSettings.Update(2, Duration.ofSeconds(2), Optional.of(SwarmSettings.Order.START_FIRST),
                SwarmSettings.FailureAction.PAUSE, Duration.ofSeconds(3)));
        assertThat(p.warnings()).containsExactly(
                "compose.yaml:6:7: services.web.deploy.resources: not applied by auto-rebuild's Swarm services",
                "compose.yaml:13:9: services.web.deploy.update_config.max_failure_ratio: not applied by auto-rebuild's Swarm services");
    }

    @Test
    void aWrongValue_isPlacedAtIt() throws IOException {
        ComposeReader.Result r = read("""
                services:
                  web:
                    build: ./web
                    deploy:
                      replicas: many
                      update_config: {order: sideways}
                """);
        assertThat(r).isInstanceOf(ComposeReader.Invalid.class);
        assertThat(((ComposeReader.Invalid) r).problems().stream().map(ConfigProblem::toString)).containsExactly(
                "compose.yaml:5:17: services.web.deploy.replicas: expected a whole number, 0 or more; got 'many'",
                "compose.yaml:6:30: services.web.deploy.update_config.order: 'sideways' is not one of start-first, stop-first");
    }

    @Test
    void dabYmlsTarget_keepsTheServicesReplicas_andASettingDabYmlChangesWins() {
        SwarmSettings fromCompose = new SwarmSettings(Optional.empty(), 3, false, new SwarmSettings.Update(2, Duration.ZERO, Optional.empty(),
                SwarmSettings.FailureAction.ROLLBACK, Duration.ofSeconds(5)));
        DabConfig.ComponentSettings service = withSwarm(fromCompose);
        DabConfig.ComponentSettings own = withSwarm(new SwarmSettings(Optional.of(SwarmSettings.Target.SWARM), 1, true, SwarmSettings.Update.DEFAULTS));

        SwarmSettings merged = ComposeMerge.over(own, service).run().swarm();
        assertThat(merged.target()).contains(SwarmSettings.Target.SWARM);
        assertThat(merged.replicas()).as("dab.yml left replicas at its default: the service's").isEqualTo(3);
        assertThat(merged.ingress()).as("dab.yml set publish: ingress").isTrue();
        assertThat(merged.update().parallelism()).isEqualTo(2);
    }

    private static DabConfig.ComponentSettings withSwarm(SwarmSettings swarm) {
        DabConfig.Run d = DabConfig.Run.DEFAULTS;
        DabConfig.Run run = new DabConfig.Run(d.ports(), d.env(), d.command(), d.volumes(), d.network(), d.restart(), d.init(), d.stopTimeout(),
                d.readiness(), swarm);
        DabConfig.ComponentSettings c = DabConfig.ComponentSettings.DEFAULTS;
        return new DabConfig.ComponentSettings(c.enabled(), c.image(), c.dockerfile(), c.context(), c.args(), c.target(), c.builder(), c.watch(),
                run, c.secrets(), c.compose(), c.watchRules());
    }
}
