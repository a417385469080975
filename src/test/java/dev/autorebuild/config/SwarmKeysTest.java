package dev.autorebuild.config;

import dev.autorebuild.core.config.ConfigProblem;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.deploy.SwarmSettings;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** dab.yml's Swarm keys: read with their defaults, and every mistake placed at its key (line and column of the key) with what to write. */
class SwarmKeysTest {
    private static final Path WS = Path.of("/work/shop");

    private static ConfigReader.Result read(String yaml) {
        return ConfigReader.parse("dab.yml", yaml, WS);
    }

    @Test
    void theTarget_isContainersByDefault_swarmForTheWorkspace_andAComponentMayChooseItsOwn() {
        DabConfig defaults = ((ConfigReader.Loaded) read("components:\n  web: {}\n")).config();
        assertThat(defaults.target(defaults.component("web", "web"))).isEqualTo(SwarmSettings.Target.CONTAINERS);
        assertThat(defaults.deployment().registry()).isEmpty();

        DabConfig c = ((ConfigReader.Loaded) read("""
                deployment:
                  target: swarm
                  registry: registry.example.com:5000/team
                components:
                  db:
                    deployment: {target: containers}
                  web:
                    run:
                      replicas: 3
                      publish: ingress
                      update: {parallelism: 2, delay: 1s, order: start-first, failure-action: pause, monitor: 2s}
                """)).config();
        assertThat(c.deployment().registry()).contains("registry.example.com:5000/team");
        assertThat(c.target(c.component("web", "web"))).isEqualTo(SwarmSettings.Target.SWARM);
        assertThat(c.target(c.component("db", "db"))).isEqualTo(SwarmSettings.Target.CONTAINERS);
        SwarmSettings web = c.component("web", "web").run().swarm();
        assertThat(web.replicas()).isEqualTo(3);
        assertThat(web.ingress()).isTrue();
        assertThat(web.update()).isEqualTo(new SwarmSettings.Update(2, Duration.ofSeconds(1), Optional.of(SwarmSettings.Order.START_FIRST),
                SwarmSettings.FailureAction.PAUSE, Duration.ofSeconds(2)));
    }

    @Test
    void theUpdateOrder_defaultsToStartFirst_unlessHostPortsAreHeldByOneTaskPerNode() {
        assertThat(SwarmSettings.Update.DEFAULTS.order(false)).isEqualTo(SwarmSettings.Order.START_FIRST);
        assertThat(SwarmSettings.Update.DEFAULTS.order(true)).isEqualTo(SwarmSettings.Order.STOP_FIRST);
        assertThat(SwarmSettings.Update.DEFAULTS.failureAction()).isEqualTo(SwarmSettings.FailureAction.ROLLBACK);
    }

    @Test
    void eachMistake_isPlacedAtItsKey() {
        ConfigReader.Result result = read("""
                deployment:
                  target: kubernetes
                  registry: https://registry.example.com
                components:
                  web:
                    deployment: {target: swarms}
                    run:
                      replicas: -1
                      publish: mesh
                      update:
                        order: random
                        failure-action: retry
                        monitor: soon
                """);
        assertThat(result).isInstanceOf(ConfigReader.Invalid.class);
        assertThat(((ConfigReader.Invalid) result).problems().stream().map(ConfigProblem::toString)).containsExactlyInAnyOrder(
                "dab.yml:2:3: target must be containers (a container on the engine) or swarm (a Swarm service); got 'kubernetes'",
                "dab.yml:3:3: registry: 'https://registry.example.com' is not a registry address; write HOST[:PORT][/PREFIX] without a scheme "
                        + "(e.g. 127.0.0.1:5000 or registry.example.com/team)",
                "dab.yml:6:18: target must be containers (a container on the engine) or swarm (a Swarm service); got 'swarms'",
                "dab.yml:8:7: replicas is a count of tasks, 0 or more; got -1",
                "dab.yml:9:7: publish must be host (each task's node publishes the port) or ingress (Swarm's routing mesh); got 'mesh'",
                "dab.yml:11:9: order must be start-first or stop-first; got 'random'",
                "dab.yml:12:9: failure-action must be rollback, pause or continue; got 'retry'",
                "dab.yml:13:9: 'soon' is not a duration; write e.g. 500ms, 2s, 10m or 1h30m");
    }
}
