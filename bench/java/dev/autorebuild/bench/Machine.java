package dev.autorebuild.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;

/** The machine a run happened on, and process readings from /proc. */
final class Machine {
    private static final long TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private Machine() {}

    static String describe() throws IOException {
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown CPU");
        return String.format(Locale.ROOT, "machine: %d cores (%s), load %s at start, Java %s, %s",
                Runtime.getRuntime().availableProcessors(), cpu, load, System.getProperty("java.version"), dockerVersion());
    }

    private static String dockerVersion() {
        try {
            Process p = new ProcessBuilder("docker", "version", "--format", "Docker engine {{.Server.Version}}").redirectErrorStream(true).start();
            String v = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor();
            return v;
        } catch (IOException e) {
            return "Docker engine unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "Docker engine unknown";
        }
    }

    /** Resident memory of a process, in MB. */
    static double rssMb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        throw new IOException("no VmRSS for " + pid);
    }

    /** CPU time (user + system) a process has used so far, in seconds. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) TICKS_PER_SECOND;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
