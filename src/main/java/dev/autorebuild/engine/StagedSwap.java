package dev.autorebuild.engine;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.EngineMessages;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.engine.ContainerRuntime.Container;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A redeploy of a component that publishes host ports, with the old container serving until the new one
 * is ready: the new one starts on an internal staging network, where the engine binds none of its host
 * ports, and takes them only once it is ready. Measured on the example's httpd (session 25): down ~0.2 s
 * instead of ~1.3 s, and save → answered p50 1.16 s against 1.47 s with the old container stopped first
 * ({@code bench/run redeploy}), since a client polling through the published port is answered at once
 * instead of after a SYN retry (see {@link ContainerRuntime#joinOwnNetwork}).
 */
final class StagedSwap {
    enum Outcome {
        DEPLOYED,
        /** Failed, the old container serving as before (or back in service). */
        FAILED,
        /** The new container exited on the staging network: to be tried on its own network. */
        EXITED,
        /** To be tried on its own network: staging was not possible. */
        TRY_ON_OWN_NETWORK
    }

    private final ContainerRuntime runtime;
    private final ReadinessWait readiness;
    private final RebuildListener listener;
    /** Components whose new container exited on the staging network and then started on its own: never staged again. */
    private final Set<String> needsItsNetwork = java.util.concurrent.ConcurrentHashMap.newKeySet();

    StagedSwap(ContainerRuntime runtime, ReadinessWait readiness, RebuildListener listener) {
        this.runtime = runtime;
        this.readiness = readiness;
        this.listener = listener;
    }

    /** Remembers that a component's new container needs its network to start: it is not staged again. */
    void needsItsNetwork(Component component) {
        needsItsNetwork.add(component.folder());
    }

    /**
     * Whether the new container starts on the staging network while the old one keeps serving: dab.yml does
     * not say {@code staging: false}; it publishes host ports (else the two run side by side anyway) on the
     * engine's default bridge (a user network's other containers are reached by name, which the staging
     * network cannot give); the engine can stage, and container addresses answer from here.
     */
    boolean stages(Component component, ContainerRuntime.Spec spec, DabConfig.Run run) {
        return run.staging() && !spec.ports().isEmpty() && spec.onDefaultBridge() && runtime.canStage() && readiness.addressesReachable()
                && !needsItsNetwork.contains(component.folder());
    }

    /**
     * The old container keeps its host ports and serves while the new one starts on the internal staging
     * network and proves ready at its own address; only then does the old one leave the default bridge (or
     * stop, when that is not its only network) and the new one join it and take the ports: the component is
     * down for a disconnect and a connect, not for a start and a probe, and a new container that never gets
     * ready never touches the old one. One that
     * exits there may need its network to start (a database, an address outside), so it is tried there
     * the usual way ({@code EXITED}); so is one whose address cannot be reached from here, or which the
     * staging network could not take ({@code TRY_ON_OWN_NETWORK}). The old container waits under its
     * standby name throughout.
     */
    Outcome swap(Component component, String name, ContainerRuntime.Spec spec, Container old, String standby, DabConfig.ComponentSettings settings,
                 long started) {
        String newId;
        try {
            newId = runtime.createStaged(spec);
        } catch (RuntimeException e) {
            listener.on(new RebuildEvent.Warning("[" + component.folder() + "] the staging network cannot take the new container ("
                    + EngineMessages.oneLine(e) + "); the previous container stops first"));
            return Outcome.TRY_ON_OWN_NETWORK;
        }
        try {
            runtime.startOrRemove(newId);
        } catch (RuntimeException e) {
            runtime.rename(old.id(), old.name());
            fail(component, "the new container did not start: " + e.getMessage() + "; the previous container kept serving", List.of());
            return Outcome.FAILED;
        }
        Optional<String> notReady = readiness.await(newId, settings.run(), true);
        if (notReady.isPresent()) {
            boolean exited = runtime.inspect(newId).map(c -> !c.running()).orElse(true);
            List<String> logs = runtime.logTail(newId, Redeployer.LOG_LINES);
            runtime.remove(newId);
            if (exited || !readiness.addressesReachable()) {
                listener.on(new RebuildEvent.Warning("[" + component.folder() + "] " + notReady.get() + " on auto-rebuild's internal staging network"
                        + (exited ? ", where it reaches no other container and no outside address" : "")
                        + "; it is tried on its own network, for which the previous container stops"));
                return exited ? Outcome.EXITED : Outcome.TRY_ON_OWN_NETWORK;
            }
            runtime.rename(old.id(), old.name());
            fail(component, notReady.get() + "; the previous container kept serving (the new one ran on auto-rebuild's internal staging network, "
                    + "which reaches no other container and no outside address; if it needs them to get ready, set components." + component.folder()
                    + ".run.staging: false)", logs);
            return Outcome.FAILED;
        }
        // the old container lets go of the host ports: off its network at once, so that a server slow to stop
        // (a graceful shutdown, a stop timeout) does not hold them; it stops after the new one serves
        boolean offItsNetwork = false;
        try {
            offItsNetwork = runtime.leaveDefaultBridge(old.id());
            if (!offItsNetwork) {
                runtime.stop(old.id(), settings.run().stopTimeout());
            }
            runtime.joinOwnNetwork(newId, spec);
        } catch (RuntimeException e) {
            runtime.remove(newId);
            if (offItsNetwork) {
                runtime.rejoinDefaultBridge(old.id());
                runtime.rename(old.id(), old.name());
            } else {
                OldContainer.restore(runtime, old, old.name(), true);
            }
            fail(component, "the new container could not take the host ports: " + EngineMessages.oneLine(e) + "; the previous container is back in service",
                    List.of());
            return Outcome.FAILED;
        }
        if (!settings.watchRules().isEmpty()) {
            runtime.prepareCopies(newId);
        }
        listener.on(new RebuildEvent.Redeployed(component, name, newId, Duration.ofNanos(System.nanoTime() - started)));
        OldContainer.retire(runtime, listener, component, old, standby, settings.run().stopTimeout());
        try {
            runtime.leaveStaging(newId);
        } catch (RuntimeException e) {
            listener.on(new RebuildEvent.Warning("[" + component.folder() + "] " + name + " is still also on auto-rebuild's staging network ("
                    + EngineMessages.oneLine(e) + "); harmless, it has no way out"));
        }
        return Outcome.DEPLOYED;
    }

    private void fail(Component component, String reason, List<String> logTail) {
        listener.on(new RebuildEvent.RedeployFailed(component, reason, logTail));
    }
}
