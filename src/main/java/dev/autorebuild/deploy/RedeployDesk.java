package dev.autorebuild.deploy;

import dev.autorebuild.engine.ContainerState;
import dev.autorebuild.core.Component;
import dev.autorebuild.engine.Redeployer;
import dev.autorebuild.engine.Rebuilder;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Where redeploy requests meet: the control socket ({@code -s redeploy [NAME…]}), SIGUSR1, the HTTP
 * API and the automatic redeploy. They run one at a time on one thread, so two requests never
 * replace the same container at once.
 */
public final class RedeployDesk implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");

    private final Rebuilder rebuilder;
    private final Redeployer redeployer;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(dev.autorebuild.core.Threads.daemon("dab-deploy"));
    private final AtomicLong done = new AtomicLong();
    /** A redeploy waits at most this long for its components' builds: a steady stream of saves must not hold it for ever. */
    public static final int SETTLE_LIMIT_MINUTES = 5; // a compile-time constant: the -s client reads it without loading this class
    static final java.time.Duration SETTLE_LIMIT = java.time.Duration.ofMinutes(SETTLE_LIMIT_MINUTES);
    /** How often a redeploy that waits for builds looks again when no build ends (changes still being judged). */
    private static final java.time.Duration LOOK_AGAIN = java.time.Duration.ofMillis(20);
    /** The components whose builds a redeploy waits for now (shown by -s status). */
    private final java.util.Set<String> waitingForBuild = java.util.concurrent.ConcurrentHashMap.newKeySet();

    public RedeployDesk(Rebuilder rebuilder, Redeployer redeployer) {
        this.rebuilder = rebuilder;
        this.redeployer = redeployer;
    }

    /** How a redeploy request ended; {@code ok} when every component asked for runs its current image. */
    public record Outcome(boolean ok, String summary) {}

    /**
     * Redeploys every pending component, in the background. The future always completes with an
     * outcome, a failure included, so no caller waits for an answer that never comes.
     */
    public CompletableFuture<Outcome> redeployPending(String why) {
        return guarded(why, () -> {
            awaitBuilds(rebuilder.components(), why);
            List<ContainerState> states = rebuilder.components().stream().map(redeployer::state).toList(); // asked once
            Optional<String> unknown = states.stream().flatMap(state -> state.unknown().stream()).findFirst();
            if (unknown.isPresent()) { // "nothing is pending" would be a guess
                LOG.warnf("redeploy (%s): cannot tell what is pending: %s", why, unknown.get());
                return finish(new Outcome(false, "redeploy FAILED: cannot tell what is pending, " + unknown.get() + "; nothing was replaced"));
            }
            List<ContainerState> pendingStates = states.stream().filter(ContainerState::pending).toList();
            List<Component> pending = pendingStates.stream().map(ContainerState::component).toList();
            LOG.infof("redeploy (%s): %s", why, pending.isEmpty() ? "nothing is pending"
                    : "pending: " + pending.stream().map(Component::folder).collect(Collectors.joining(", ")));
            return finish(pending, redeployer.redeployAsFound(pendingStates));
        });
    }

    /** A redeploy whose failure is logged, counted and answered; the caller learns it from the outcome. */
    private CompletableFuture<Outcome> guarded(String why, Callable<Outcome> redeploy) {
        CompletableFuture<Outcome> result = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    result.complete(redeploy.call());
                } catch (InterruptedException e) {
                    result.complete(new Outcome(false, "redeploy (" + why + ") interrupted: the daemon is ending"));
                } catch (Exception e) {
                    LOG.errorf(e, "redeploy (%s) failed", why);
                    result.complete(finish(new Outcome(false, "redeploy FAILED (" + why + "): " + e)));
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            result.complete(new Outcome(false, "redeploy (" + why + ") refused: the daemon is ending"));
        }
        return result;
    }

    /** The named components, or every pending one for none; waits for the outcome. */
    public Outcome redeployNamed(List<String> names, String why) throws InterruptedException {
        if (names.isEmpty()) {
            return redeployPending(why).join();
        }
        List<Component> chosen = new ArrayList<>();
        for (String name : names) {
            Component match = rebuilder.components().stream()
                    .filter(c -> c.answersTo(name))
                    .findFirst().orElse(null);
            if (match == null) {
                return new Outcome(false, "error: no component '" + name + "'; the components are "
                        + rebuilder.components().stream().map(Component::folder).collect(Collectors.joining(", ")));
            }
            chosen.add(match);
        }
        return guarded(why, () -> {
            awaitBuilds(chosen, why);
            LOG.infof("redeploy (%s)", why);
            List<ContainerState> pending = chosen.stream().map(redeployer::state).filter(ContainerState::pending).toList();
            return finish(chosen, redeployer.redeployAsFound(pending) + (chosen.size() - pending.size()));
        }).join();
    }

    /**
     * Waits until none of {@code concerned} may still build (changes not yet judged, a build queued,
     * running or held), so a redeploy deploys what those builds produce: a redeploy right after a start
     * or a save does not find "nothing pending" while the build it wants is under way.
     */
    private void awaitBuilds(java.util.Collection<Component> concerned, String why) throws InterruptedException {
        long ended = rebuilder.buildEnds().count();
        List<Component> busy = busy(concerned);
        if (busy.isEmpty()) {
            return;
        }
        LOG.infof("redeploy (%s) waits for the build of %s", why, busy.stream().map(Component::folder).collect(Collectors.joining(", ")));
        long deadline = System.nanoTime() + SETTLE_LIMIT.toNanos();
        try {
            while (!busy.isEmpty() && rebuilder.engineAnswering()) { // builds that wait for the engine are not waited for
                waitingForBuild.retainAll(busy.stream().map(Component::folder).toList());
                busy.forEach(c -> waitingForBuild.add(c.folder()));
                if (System.nanoTime() - deadline > 0) {
                    LOG.warnf("redeploy (%s): %s still building after %s; redeploying what is built", why,
                            busy.stream().map(Component::folder).collect(Collectors.joining(", ")), dev.autorebuild.core.Durations.format(SETTLE_LIMIT));
                    return;
                }
                // a build's end wakes us at once; changes still being judged are looked at again every 20 ms
                rebuilder.buildEnds().awaitAfter(ended, LOOK_AGAIN);
                ended = rebuilder.buildEnds().count();
                busy = busy(concerned);
            }
        } finally {
            waitingForBuild.clear();
        }
    }

    private List<Component> busy(java.util.Collection<Component> concerned) {
        return concerned.stream().filter(rebuilder::busy).toList();
    }

    public java.util.Set<String> waitingForBuild() {
        return java.util.Set.copyOf(waitingForBuild);
    }

    /** A component went away (its folder or Dockerfile did): its container is never removed behind the user's back, only reported. */
    public void componentRemoved(Component component) {
        thread.execute(() -> {
            ContainerState state = redeployer.state(component);
            if (state.container().isPresent() && !state.foreign()) {
                LOG.warnf("[%s] its container %s keeps running (auto-rebuild never removes one by itself); "
                        + "remove it with: docker rm -f %s", component.folder(), state.name(), state.name());
            }
        });
    }

    private Outcome finish(List<Component> asked, int succeeded) {
        return finish(outcome(asked, succeeded));
    }

    private Outcome finish(Outcome outcome) {
        done.incrementAndGet();
        return outcome;
    }

    private static Outcome outcome(List<Component> asked, int succeeded) {
        if (asked.isEmpty()) {
            return new Outcome(true, "nothing was pending");
        }
        String names = asked.stream().map(Component::folder).collect(Collectors.joining(", "));
        return succeeded == asked.size() ? new Outcome(true, "redeployed " + names)
                : new Outcome(false, "redeploy FAILED for " + (asked.size() - succeeded) + " of " + asked.size() + " (" + names + "); the log says why");
    }

    public long completed() {
        return done.get();
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
