package dev.autorebuild.core;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread factory of the daemon: named daemon threads, so a thread dump says which stage is
 * which, each with a handler that logs what ended it, so a thread that dies says so instead of
 * leaving a stage silently stopped.
 */
public final class Threads {
    // the logger is looked up only when a thread dies: the -s client creates threads, and must not start a log manager
    private static final Thread.UncaughtExceptionHandler REPORT = (thread, failure) -> System.getLogger("auto-rebuild")
            .log(System.Logger.Level.ERROR, "thread " + thread.getName() + " ended on an unexpected error (a bug: please report it with this log)", failure);

    private Threads() {
    }

    /**
     * The same report for threads the daemon did not make (its libraries'), except for the failures
     * {@code expected} names: an adapter knows which of its library's threads end on an error by design.
     */
    public static void reportUncaughtEverywhere(java.util.function.BiPredicate<Thread, Throwable> expected) {
        Thread.setDefaultUncaughtExceptionHandler((thread, failure) -> {
            if (!expected.test(thread, failure)) {
                REPORT.uncaughtException(thread, failure);
            }
        });
    }

    /** Threads called {@code prefix-1}, {@code prefix-2}, ...: for a pool. */
    public static ThreadFactory named(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> configure(new Thread(runnable, prefix + "-" + count.incrementAndGet()));
    }

    /** Threads all called {@code name}: for a single long-lived thread. */
    public static ThreadFactory daemon(String name) {
        return runnable -> configure(new Thread(runnable, name));
    }

    /** Up to {@code size} threads, idle ones ending after a minute; more work waits its turn. */
    public static ExecutorService boundedPool(String prefix, int size) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(size, size, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(), named(prefix));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    private static Thread configure(Thread thread) {
        thread.setDaemon(true);
        thread.setUncaughtExceptionHandler(REPORT);
        return thread;
    }
}
