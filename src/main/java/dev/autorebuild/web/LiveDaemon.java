package dev.autorebuild.web;

import dev.autorebuild.engine.ContainerState;
import dev.autorebuild.core.Component;
import dev.autorebuild.view.BuildHistory;
import dev.autorebuild.engine.PipelineCounters;
import dev.autorebuild.engine.Redeployer;
import dev.autorebuild.view.StatusBoard;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * What the HTTP side sees of the daemon running in this process, handed over by the daemon once it
 * watches ({@link DaemonLink#attach}). Reads are the engine's own thread-safe views; the two actions
 * go through the same paths as {@code -s redeploy} and the watcher.
 *
 * @param rebuild  builds the named component now, even if unchanged; false when there is no such component
 * @param warnings what the daemon cannot say in its log (a disk too full to write it)
 * @param redeploy redeploys the named components (all pending ones for an empty list), waits, and says how it went
 * @param metrics  what {@code /q/metrics} serves
 */
public record LiveDaemon(Path workspace, String token, StatusBoard board, BuildHistory history,
                         Function<Component, ContainerState> containers, PipelineCounters counters,
                         Predicate<String> rebuild, Function<List<String>, RedeployOutcome> redeploy, EventHub events,
                         Supplier<List<String>> warnings, String engine, DaemonMetrics metrics) {

    /** @param ok every component asked for now runs its current image (also when nothing was pending) */
    public record RedeployOutcome(boolean ok, String summary) {}
}
