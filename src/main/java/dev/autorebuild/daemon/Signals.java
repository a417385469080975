package dev.autorebuild.daemon;

import sun.misc.Signal;

/**
 * The daemon's commands arrive as POSIX signals, so plain {@code kill} works as for any Unix daemon:
 * quit is SIGTERM, stop SIGINT, redeploy SIGUSR1, reload SIGHUP (the JVM reserves SIGQUIT).
 */
public enum Signals {
    QUIT("TERM", 15), STOP("INT", 2), REDEPLOY("USR1", 10), RELOAD("HUP", 1);

    private final String name;
    private final int number;

    Signals(String name, int number) {
        this.name = name;
        this.number = number;
    }

    /**
     * Whether this process inherited the signal as ignored (a background job of a non-interactive
     * shell ignores SIGINT, nohup ignores SIGHUP). The JVM then silently declines to handle it, so
     * the command would never arrive: the daemon warns, and the launcher resets the dispositions.
     */
    public boolean isIgnoredHere() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("SigIgn:")) {
                    return (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << (number - 1))) != 0;
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            // no /proc: assume not ignored
        }
        return false;
    }

    /** The signal's name without the SIG prefix, as {@code kill -s} takes it. */
    public String signalName() {
        return name;
    }

    /** Runs {@code action} (on a fresh thread) whenever this signal arrives. */
    public void handle(Runnable action) {
        try {
            Signal.handle(new Signal(name), signal -> action.run());
        } catch (IllegalArgumentException e) {
            // the JVM cannot take this signal here (e.g. ignored by our parent): kill by pid still works
        }
    }

    /** Sends this signal to {@code pid} (Java itself can send only TERM and KILL). */
    public boolean sendTo(long pid) throws java.io.IOException, InterruptedException {
        Process kill = new ProcessBuilder("/bin/sh", "-c", "kill -s " + name + " \"$1\"", "kill", Long.toString(pid))
                .redirectErrorStream(true).start();
        kill.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
        return kill.waitFor() == 0;
    }
}
