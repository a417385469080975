package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** Identifies a process by pid and start time, so a pid reused by another process is not mistaken for ours. */
public record ProcessStart(long pid, long startMillis) {

    public static ProcessStart current() {
        ProcessHandle self = ProcessHandle.current();
        return new ProcessStart(self.pid(), startMillisOf(self.pid()).orElse(0L));
    }

    /** When the process with this pid started; empty when no such process is alive. */
    public static Optional<Long> startMillisOf(long pid) {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> !isZombie(p.pid()))
                .flatMap(p -> p.info().startInstant())
                .map(Instant::toEpochMilli);
    }

    /** This very process is still alive: same pid, same start time (within the clock tick the kernel records). */
    public boolean isAlive() {
        return startMillisOf(pid).map(start -> Math.abs(start - startMillis) < 50).orElse(false);
    }

    /** Why the process is not alive: gone, or its pid now belongs to another process. */
    public String whyNotAlive() {
        return startMillisOf(pid)
                .map(start -> "pid " + pid + " now belongs to another process (started " + Instant.ofEpochMilli(start) + ")")
                .orElse("pid " + pid + " is gone");
    }

    /**
     * An ended process whose parent has not collected it yet. A detached daemon's parent is PID 1, and
     * not every PID 1 (a container's, a VM agent's) reaps at once: the process is gone all the same.
     */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) == 'Z';
        } catch (IOException e) {
            return false; // no /proc (not Linux): trust ProcessHandle
        }
    }

    String serialise() {
        return pid + " " + startMillis;
    }

    static Optional<ProcessStart> parse(String text) {
        String[] parts = text.strip().split("\\s+");
        try {
            return parts.length == 2 ? Optional.of(new ProcessStart(Long.parseLong(parts[0]), Long.parseLong(parts[1])))
                    : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
