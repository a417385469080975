package dev.autorebuild.daemon;

import sun.misc.Signal;

/**
 * The daemon's commands arrive as POSIX signals, so plain {@code kill} works as for any Unix daemon:
 * quit is SIGTERM, stop SIGINT, redeploy SIGUSR1, reload SIGHUP (the JVM reserves SIGQUIT).
 */
public enum Signals {
    QUIT("TERM"), STOP("INT"), REDEPLOY("USR1"), RELOAD("HUP");

    private final String name;

    Signals(String name) {
        this.name = name;
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
