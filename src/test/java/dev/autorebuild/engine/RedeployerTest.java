package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.Labels;
import dev.autorebuild.core.RebuildEvent.RedeployFailed;
import dev.autorebuild.core.RebuildEvent.Redeployed;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.sync.WatchRule;
import dev.autorebuild.engine.ContainerRuntime.Container;
import dev.autorebuild.support.EventRecorder;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The redeploy state machine on an in-memory engine: each way a new container can fail, in milliseconds. */
class RedeployerTest {
    private static final Path WORKSPACE = Path.of("/work/shop");
    private final Component web = Component.of("shop", "web");
    private final FakeContainerRuntime runtime = new FakeContainerRuntime();
    private final EventRecorder events = new EventRecorder();
    private final Redeployer redeployer = new Redeployer(WORKSPACE, runtime, FakeImages.labelled(Map.of(Labels.DIGEST, "sha256:new", Labels.WORKSPACE, WORKSPACE.toString())), events, () -> DabConfig.DEFAULTS);

    private Container oldServing() {
        return runtime.existing("shop-web", Map.of(Labels.WORKSPACE, WORKSPACE.toString(), Labels.COMPONENT, "web", Labels.DIGEST, "sha256:old"), true);
    }

    /** Nothing was replaced: the old container alone, under its own name, serving. */
    private void assertTheOldAloneServes(Container old) {
        assertThat(runtime.all()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(old.id());
            assertThat(c.name()).isEqualTo("shop-web");
            assertThat(c.running()).isTrue();
        });
    }

    /** The one RedeployFailed said all of {@code parts}. */
    private void assertFailedSaying(String... parts) {
        assertThat(events.all(RedeployFailed.class)).singleElement().extracting(RedeployFailed::reason).asString().contains(parts);
    }

    @Test
    void aNewContainerOfAComponentWithSyncRules_isPreparedForCopies_andOneWithoutIsNot() {
        DabConfig d = DabConfig.DEFAULTS;
        WatchRule sync = new WatchRule("web/site", WatchRule.Action.SYNC, Optional.of("/www"), List.of(), List.of(), Optional.empty(), false);
        DabConfig.ComponentSettings withRule = new DabConfig.ComponentSettings(true, Optional.empty(), "Dockerfile", ".", Map.of(), Optional.empty(),
                Optional.empty(), List.of(), DabConfig.Run.DEFAULTS, Map.of(), Optional.empty(), List.of(sync));
        DabConfig config = new DabConfig(d.triggers(), d.debounce(), d.deployment(), d.build(), d.useGitignore(), d.quitTimeout(), d.watch(),
                d.http(), d.jsonLog(), d.notifyDesktop(), Map.of("web", withRule), d.name(), d.compose());
        Redeployer syncing = new Redeployer(WORKSPACE, runtime, FakeImages.labelled(Map.of(Labels.DIGEST, "sha256:new", Labels.WORKSPACE,
                WORKSPACE.toString())), events, () -> config);

        assertThat(syncing.redeploy(List.of(web))).isEqualTo(1);
        assertThat(runtime.preparedForCopies).containsExactly(runtime.inspect("shop-web").orElseThrow().id());

        runtime.preparedForCopies.clear();
        assertThat(redeployer.redeploy(List.of(Component.of("shop", "api")))).isEqualTo(1);
        assertThat(runtime.preparedForCopies).as("no sync rules: no shell in its container").isEmpty();
    }

    @Test
    void aNewContainerThatCannotStart_leavesTheOldOneServingUnderItsName() {
        Container old = oldServing();
        runtime.failNextRun = new IllegalStateException("OCI runtime create failed: exec: \"/nonexistent\": no such file or directory");

        assertThat(redeployer.redeploy(List.of(web))).isZero();

        assertTheOldAloneServes(old);
        assertFailedSaying("did not start", "/nonexistent");
        assertThat(redeployer.state(web).pending()).as("still to do: the old image runs").isTrue();
    }

    @Test
    void aNewContainerThatExits_isRemoved_andTheOldOneIsBackInService() {
        Container old = oldServing();
        runtime.nextRunExitsWith = 127;

        assertThat(redeployer.redeploy(List.of(web))).isZero();

        assertTheOldAloneServes(old);
        assertThat(events.all(RedeployFailed.class)).singleElement().satisfies(f -> {
            assertThat(f.reason()).contains("exited with code 127", "previous container is back in service");
            assertThat(f.logTail()).containsExactly("exec /nonexistent: no such file or directory");
        });
    }

    @Test
    void aFirstContainerThatCannotStart_leavesNothingBehind() {
        runtime.failNextRun = new IllegalStateException("Bind for 127.0.0.1:18080 failed: port is already allocated");

        assertThat(redeployer.redeploy(List.of(web))).isZero();

        assertThat(runtime.all()).isEmpty();
        assertThat(events.all(RedeployFailed.class)).singleElement().extracting(RedeployFailed::reason).asString().contains("port is already allocated");
    }

    @Test
    void aNewContainerThatStays_replacesTheOldOne() {
        Container old = oldServing();

        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);

        assertThat(runtime.all()).singleElement().satisfies(c -> {
            assertThat(c.id()).isNotEqualTo(old.id());
            assertThat(c.name()).isEqualTo("shop-web");
            assertThat(c.labels()).containsEntry(Labels.DIGEST, "sha256:new");
            assertThat(c.running()).isTrue();
        });
        assertThat(events.all(Redeployed.class)).hasSize(1);
        assertThat(redeployer.state(web).pending()).isFalse();
    }

    /**
     * "redeployed" is said as soon as the new container serves (what a live-reload page waits for), before
     * the old one's removal; the removal still ends before the redeploy returns.
     */
    @Test
    void redeployedIsSaidOnceTheNewContainerServes_andTheOldIsGoneWhenTheRedeployReturns() {
        Container old = oldServing();
        List<String> whenSaid = new java.util.ArrayList<>();
        Redeployer watched = new Redeployer(WORKSPACE, runtime, FakeImages.labelled(Map.of(Labels.DIGEST, "sha256:new", Labels.WORKSPACE,
                WORKSPACE.toString())), event -> {
                    if (event instanceof Redeployed r) {
                        whenSaid.add("new running: " + runtime.inspect(r.containerId()).map(Container::running).orElse(false)
                                + ", old there: " + runtime.inspect(old.id()).isPresent());
                    }
                }, () -> DabConfig.DEFAULTS);

        assertThat(watched.redeploy(List.of(web))).isEqualTo(1);

        assertThat(whenSaid).containsExactly("new running: true, old there: true");
        assertThat(runtime.inspect(old.id())).as("removed before the redeploy returned").isEmpty();
    }

    /** The old container holds the host port, so it stops first, and the new one is created meanwhile. */
    private final DabConfig publishing = ((dev.autorebuild.config.ConfigReader.Loaded) dev.autorebuild.config.ConfigReader.parse("dab.yml",
            "components:\n  web:\n    run:\n      ports: [\"18080:80\"]\n", WORKSPACE)).config();
    private final Redeployer publishes = new Redeployer(WORKSPACE, runtime, FakeImages.labelled(Map.of(Labels.DIGEST, "sha256:new",
            Labels.WORKSPACE, WORKSPACE.toString())), events, () -> publishing);

    /** An HTTP probe on a published port. */
    private final Redeployer probing = new Redeployer(WORKSPACE, runtime, FakeImages.labelled(Map.of(Labels.DIGEST, "sha256:new",
            Labels.WORKSPACE, WORKSPACE.toString())), events, () -> ((dev.autorebuild.config.ConfigReader.Loaded) dev.autorebuild.config.ConfigReader
            .parse("dab.yml", "components:\n  web:\n    run:\n      ports: [\"18080:80\"]\n      readiness: {http: /health}\n", WORKSPACE)).config());

    @Test
    void theReadinessProbe_asksTheContainersOwnAddress_untilItsServerListens_notTheEnginesProxy() {
        oldServing();
        runtime.containerAddressReach.addAll(List.of(ContainerRuntime.Reach.REFUSED, ContainerRuntime.Reach.REFUSED, ContainerRuntime.Reach.ACCEPTS));

        assertThat(probing.redeploy(List.of(web))).isEqualTo(1);

        // the new container is 172.17.0.3 in the fake: refused twice, then it listens and GET answers there
        assertThat(runtime.probes).containsExactly("172.17.0.3:80", "172.17.0.3:80", "172.17.0.3:80", "GET 172.17.0.3:80/health");
    }

    @Test
    void whereContainerAddressesCannotBeReached_theProbeUsesThePublishedPort() {
        oldServing();
        runtime.containerAddressReach.add(ContainerRuntime.Reach.UNREACHABLE); // Docker Desktop: the host cannot route to it

        assertThat(probing.redeploy(List.of(web))).isEqualTo(1);
        // silence is taken as "cannot be reached" only after the address stayed silent for three seconds (see the next test)
        assertThat(runtime.probes.subList(0, runtime.probes.size() - 1)).hasSizeGreaterThan(1).containsOnly("172.17.0.3:80");
        assertThat(runtime.probes).last().isEqualTo("GET 127.0.0.1:18080/health");

    }

    @Test
    void aNewContainersAddressSilentWhileItsNetworkIsWired_isAskedAgain_notTakenAsUnreachable() {
        oldServing();
        // measured: with a client hitting the published port during the swap, a new container's address drops SYNs for ~0.75 s
        runtime.containerAddressReach.addAll(List.of(ContainerRuntime.Reach.UNREACHABLE, ContainerRuntime.Reach.UNREACHABLE,
                ContainerRuntime.Reach.ACCEPTS));

        assertThat(probing.redeploy(List.of(web))).isEqualTo(1);
        assertThat(runtime.probes).containsExactly("172.17.0.3:80", "172.17.0.3:80", "172.17.0.3:80", "GET 172.17.0.3:80/health");
    }

    @Test
    void onARemoteEngine_thePublishedPortIsProbedOnTheEnginesHost() {
        oldServing();
        runtime.publishedHost = "build-host"; // DOCKER_HOST=tcp://build-host:2376
        runtime.containerAddressReach.add(ContainerRuntime.Reach.UNREACHABLE); // its containers' addresses are on that machine

        assertThat(probing.redeploy(List.of(web))).isEqualTo(1);
        assertThat(runtime.probes.subList(0, runtime.probes.size() - 1)).containsOnly("172.17.0.3:80");
        assertThat(runtime.probes).last().isEqualTo("GET build-host:18080/health");

    }

    @Test
    void withAPublishedPort_theNewContainerIsCreatedWhileTheOldStops_andReplacesIt() {
        Container old = oldServing();

        assertThat(publishes.redeploy(List.of(web))).isEqualTo(1);

        assertThat(runtime.all()).singleElement().satisfies(c -> {
            assertThat(c.id()).isNotEqualTo(old.id());
            assertThat(c.name()).isEqualTo("shop-web");
            assertThat(c.running()).isTrue();
            assertThat(c.hostPorts()).containsEntry(80, 18080);
        });
    }

    @Test
    void withAPublishedPort_aNewContainerThatCannotStart_leavesTheOldOneServingUnderItsName() {
        Container old = oldServing();
        runtime.failNextRun = new IllegalStateException("OCI runtime create failed: exec: \"/nonexistent\": no such file or directory");

        assertThat(publishes.redeploy(List.of(web))).isZero();

        assertThat(runtime.all()).singleElement().satisfies(c -> {
            assertThat(c.id()).isEqualTo(old.id());
            assertThat(c.name()).isEqualTo("shop-web");
            assertThat(c.running()).as("restarted after it stopped for the port").isTrue();
        });
        assertFailedSaying("did not start", "previous container is back in service");
    }

    @Test
    void withAPublishedPort_anOldContainerThatCannotBeStopped_keepsServingUnderItsName_andNoNewOneIsLeft() {
        Container old = oldServing();
        runtime.failNextStop = new IllegalStateException("cannot stop container: permission denied");

        assertThat(publishes.redeploy(List.of(web))).isZero();

        assertTheOldAloneServes(old);
        assertFailedSaying("permission denied", "previous container is back in service");
    }

    /** The old container is renamed aside before anything else: a rename the engine refuses must not cost it its place. */
    @Test
    void withAPublishedPort_anOldContainerTheEngineCannotRename_keepsServingUnderItsName_andNoNewOneIsLeft() {
        Container old = oldServing();
        runtime.failNextRename = new IllegalStateException("Error when allocating new name: Conflict");

        assertThat(publishes.redeploy(List.of(web))).isZero();

        assertTheOldAloneServes(old);
        assertFailedSaying("engine refused", "Conflict");
    }

    /**
     * Without published ports the old container serves until the new one is ready; if the engine then
     * cannot stop it, the redeploy has still happened (the new one serves under the name): that is said
     * once, with a warning naming the old container left running, never "redeployed" and then "FAILED".
     */
    @Test
    void withoutPorts_anOldContainerThatCannotBeStoppedOnceTheNewServes_isAWarning_notAFailedRedeploy() {
        Container old = oldServing();
        runtime.failNextStop = new IllegalStateException("cannot stop container: permission denied");

        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);

        assertThat(runtime.inspect("shop-web")).get().satisfies(c -> {
            assertThat(c.id()).isNotEqualTo(old.id());
            assertThat(c.running()).isTrue();
        });
        assertThat(events.all(Redeployed.class)).hasSize(1);
        assertThat(events.all(RedeployFailed.class)).isEmpty();
        assertThat(events.all(dev.autorebuild.core.RebuildEvent.Warning.class)).singleElement().extracting(w -> w.message()).asString()
                .contains("shop-web-previous", "permission denied", "docker rm -f shop-web-previous");
    }

    @Test
    void anEngineThatCannotSayWhichImageIsCurrent_failsTheRedeploy_andLeavesTheOldContainerServing() {
        Container old = oldServing();
        Redeployer blind = new Redeployer(WORKSPACE, runtime, FakeImages.engineDown(), events, () -> DabConfig.DEFAULTS);

        assertThat(blind.state(web).unknown()).hasValueSatisfying(reason -> assertThat(reason).contains("does not answer", "Connection refused"));
        assertThat(blind.state(web).pending()).as("an image the engine cannot read is not 'nothing to do'").isFalse();
        assertThat(blind.redeploy(List.of(web))).isZero();

        assertTheOldAloneServes(old);
        assertFailedSaying("nothing was replaced", "does not answer");
    }

    @Test
    void anInterruptedRedeploysLeftoverUnderTheStandbyName_isRemoved_andTheRedeployGoesOn() {
        Container old = oldServing();
        Container leftover = runtime.existing("shop-web-previous",
                Map.of(Labels.WORKSPACE, WORKSPACE.toString(), Labels.COMPONENT, "web", Labels.DIGEST, "sha256:older"), false);

        assertThat(redeployer.redeploy(List.of(web))).isEqualTo(1);

        assertThat(runtime.all()).singleElement().satisfies(c -> {
            assertThat(c.id()).isNotIn(old.id(), leftover.id());
            assertThat(c.name()).isEqualTo("shop-web");
            assertThat(c.running()).isTrue();
        });
        assertThat(events.all(RedeployFailed.class)).isEmpty();
    }

    @Test
    void aContainerOfSomeoneElseUnderTheStandbyName_failsTheRedeploy_andNothingIsTouched() {
        Container old = oldServing();
        Container foreign = runtime.existing("shop-web-previous", Map.of("maintainer", "someone else"), true);

        assertThat(redeployer.redeploy(List.of(web))).isZero();

        assertThat(runtime.all()).containsExactlyInAnyOrder(old, foreign);
        assertFailedSaying("shop-web-previous", "auto-rebuild did not create", "left alone");
    }
}
