package dev.autorebuild.deploy;

import dev.autorebuild.core.Durations;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.engine.RebuildListener;
import io.quarkus.scheduler.Scheduler;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/**
 * {@code deployment.auto}: redeploys the pending components once {@code deployment.builds.delay} has
 * passed with no further build (a debounce of builds, as the seed describes); every successful build
 * restarts the wait, and {@code delay: 0} redeploys right after each build. The wait runs on
 * quarkus-scheduler, whose job exists only while a redeploy is due: an idle daemon schedules nothing.
 * The scheduler looks at its jobs once a second, so a delay is kept to within a second.
 */
public final class AutoRedeploy implements RebuildListener {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");
    private static final String JOB = "dab-auto-redeploy";

    private final Scheduler scheduler;
    private final Supplier<DabConfig> config;
    private final Runnable redeployPending;
    private long dueAtNanos;
    private boolean armed;

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
            if (!armed) {
                armed = true;
                scheduler.newJob(JOB).setInterval("1s").setTask(execution -> fireIfDue()).schedule();
            }
        }
    }

    private void fireIfDue() {
        synchronized (this) {
            if (!armed || System.nanoTime() - dueAtNanos < 0) {
                return;
            }
            armed = false;
            scheduler.unscheduleJob(JOB);
        }
        redeployPending.run();
    }
}
