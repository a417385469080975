package dev.autorebuild.bench;

/** A JVM that does nothing: the idle baseline the daemon's CPU use is compared with. */
public final class Sleeper {
    private Sleeper() {}

    public static void main(String[] args) throws InterruptedException {
        Thread.sleep(Long.MAX_VALUE);
    }
}
