package dev.autorebuild.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Scenario 6: CPU an idle daemon uses while watching 10,000 folders, against a JVM that only sleeps,
 * both measured over the same minute (CPU time from /proc, so other load on the machine does not count).
 */
final class IdleCost implements Bench.Scenario {
    @Override
    public String title() {
        return "idle CPU, watching 10,000 folders";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        int folders = context.size(10_000, 100);
        int seconds = context.size(60, 3);
        Path root = BigWorkspace.create(context.workspace("idle"), 2, folders, folders);
        try (Daemon daemon = Daemon.start(root)) {
            StartupOnABigWorkspace.awaitAllIdle(daemon);
            // once a burst is over (here, the start's hashing) the daemon gives memory back with one full
            // collection within 30 s: a one-off after each burst, not the cost of idling, so it is waited out
            Thread.sleep(context.size(35_000, 0));
            Process sleeper = new ProcessBuilder("java", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), Sleeper.class.getName())
                    .redirectErrorStream(true).start();
            try {
                Thread.sleep(3_000); // the sleeper's own start-up is not idle time
                double daemonBefore = Machine.cpuSeconds(daemon.pid);
                double sleeperBefore = Machine.cpuSeconds(sleeper.pid());
                long started = System.nanoTime();
                Thread.sleep(seconds * 1000L);
                double wall = (System.nanoTime() - started) / 1e9;
                double daemonPct = 100 * (Machine.cpuSeconds(daemon.pid) - daemonBefore) / wall;
                double sleeperPct = 100 * (Machine.cpuSeconds(sleeper.pid()) - sleeperBefore) / wall;
                return List.of(new Result("6 idle", "CPU over " + seconds + " s idle, " + folders + " folders watched",
                        String.format(Locale.ROOT, "daemon %.2f%%, sleeping JVM %.2f%% of one core (+%.2f points)", daemonPct, sleeperPct, daemonPct - sleeperPct),
                        "<= +0.1 points", daemonPct - sleeperPct <= 0.1));
            } finally {
                sleeper.destroyForcibly().waitFor();
            }
        }
    }
}
