package dev.autorebuild.deploy;

import dev.autorebuild.core.Durations;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.Threads;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.engine.RebuildListener;
import io.quarkus.scheduler.Scheduler;
import org.jboss.logging.Logger;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code deployment.auto}: redeploys the pending components once {@code deployment.builds.delay} has
 * passed with no further build (a debounce of builds, as the seed describes); every successful build
 * restarts the wait, and {@code delay: 0} redeploys right after each build.
 *
 * <p>The wait runs on quarkus-scheduler, whose job exists only while a redeploy is due: an idle daemon
 * schedules nothing. Its simple scheduler checks its jobs on whole seconds, with no setting to check
 * more often, so on its own a redeploy would come up to a second late. Once a check finds the deadline
 * less than a second away, a one-shot timer takes the last leg and fires at the deadline itself.
 */
public final class AutoRedeploy implements RebuildListener {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    private static final String JOB = "dab-auto-redeploy";
    /** How often quarkus-scheduler's simple scheduler looks at its jobs (fixed: SimpleScheduler's CHECK_PERIOD). */
    private static final long SCHEDULER_TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Scheduler scheduler;
    private final Supplier<DabConfig> config;
    private final Runnable redeployPending;
    private final ScheduledExecutorService lastLeg = Executors.newSingleThreadScheduledExecutor(Threads.daemon("dab-redeploy-timer"));
    private long dueAtNanos;
    private boolean armed;
    private ScheduledFuture<?> finalWait;

    public AutoRedeploy(Scheduler scheduler, Supplier<DabConfig> config, Runnable redeployPending) {
        this.scheduler = scheduler;
        this.config = config;
        this.redeployPending = redeployPending;
    }

    @Override
    public void on(RebuildEvent event) {
        if (!(event instanceof RebuildEvent.BuildSucceeded built)) {
            return;
        }
        DabConfig.Deployment deployment = config.get().deployment();
        if (!deployment.auto()) {
            return;
        }
        if (deployment.delay().isZero()) {
            redeployPending.run();
            return;
        }
        synchronized (this) {
            dueAtNanos = System.nanoTime() + deployment.delay().toNanos();
            LOG.infof("[%s] redeploy due in %s unless another build comes first", built.component().folder(), Durations.format(deployment.delay()));
            if (finalWait != null) { // the deadline moved past the last leg: back to the scheduler
                finalWait.cancel(false);
                finalWait = null;
            }
            if (!armed) {
                armed = true;
                scheduler.newJob(JOB).setInterval("1s").setTask(execution -> tick()).schedule();
            }
        }
    }

    /** quarkus-scheduler's check: within a second of the deadline, hand the rest to the one-shot timer. */
    private void tick() {
        synchronized (this) {
            long remaining = dueAtNanos - System.nanoTime();
            if (!armed || remaining > SCHEDULER_TICK_NANOS) {
                return;
            }
            armed = false;
            scheduler.unscheduleJob(JOB);
            finalWait = lastLeg.schedule(this::fireAtDeadline, Math.max(0, remaining), TimeUnit.NANOSECONDS);
        }
    }

    private void fireAtDeadline() {
        synchronized (this) {
            if (finalWait == null) {
                return; // a build came meanwhile: the wait started over
            }
            finalWait = null;
        }
        redeployPending.run();
    }
}
