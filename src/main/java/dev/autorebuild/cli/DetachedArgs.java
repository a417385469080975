package dev.autorebuild.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * The command line the launcher gives its detached daemon ({@code AutoRebuildCommand.daemonArguments}):
 * {@code -t DIR --foreground --detached}, then options that each take one value ({@code --report-fd N}: bin/auto-rebuild's
 * pipe for the {@link dev.autorebuild.daemon.StartReport}). Recognised by hand so
 * that the daemon's {@code main} does not build picocli's model before Quarkus boots: picocli's classes
 * cannot be mapped from a class-data archive (Java 5 class files), and building the model took 100-150 ms
 * of the daemon's way to watching; it is built once, in Quarkus, and meanwhile on another core.
 * Any other form gives empty, and picocli reads it as before.
 */
record DetachedArgs(Path workspace, Optional<Path> config, OptionalInt reportFd) {
    private static final Set<String> WITH_VALUE = Set.of("-c", "--quiet-period", "--max-wait", "--parallel-builds", "--quit-timeout",
            "--report-fd");

    static Optional<DetachedArgs> parse(String... args) {
        List<String> all = List.of(args);
        if (all.size() < 4 || (all.size() - 4) % 2 != 0 || !all.get(0).equals("-t")
                || !all.get(2).equals("--foreground") || !all.get(3).equals("--detached")) {
            return Optional.empty();
        }
        Optional<Path> config = Optional.empty();
        OptionalInt reportFd = OptionalInt.empty();
        for (int i = 4; i < all.size(); i += 2) {
            if (!WITH_VALUE.contains(all.get(i))) {
                return Optional.empty();
            }
            if (all.get(i).equals("-c")) {
                config = Optional.of(Path.of(all.get(i + 1)));
            }
            if (all.get(i).equals("--report-fd")) {
                if (!all.get(i + 1).matches("\\d{1,4}")) {
                    return Optional.empty();
                }
                reportFd = OptionalInt.of(Integer.parseInt(all.get(i + 1)));
            }
        }
        return Optional.of(new DetachedArgs(Path.of(all.get(1)).toAbsolutePath().normalize(), config, reportFd));
    }
}
