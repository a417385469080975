package dev.autorebuild.engine;

import dev.autorebuild.core.content.BuiltRecord;
import dev.autorebuild.core.content.FileFingerprint;
import dev.autorebuild.core.content.FileTable;
import dev.autorebuild.fs.BuiltRecords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class RecordWriterTest {
    @TempDir
    Path dab;

    /** A sink whose first write waits for {@link #release}: a slow disk, held still. */
    private static final class HeldSink implements RecordWriter.Sink {
        final CountDownLatch firstStarted = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> written = new CopyOnWriteArrayList<>();

        @Override
        public void write(BuiltRecord record) throws IOException {
            firstStarted.countDown();
            try {
                if (!release.await(20, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the sink");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            written.add(record.component() + "@" + record.digest());
        }
    }

    @Test
    void aBuildHandsItsRecordOverWithoutWaitingForTheDisk() throws Exception {
        HeldSink sink = new HeldSink();
        RecordWriter writer = new RecordWriter(sink, message -> { });
        writer.offer(record("web", "sha256:1", "index.html"));
        assertThat(sink.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();

        // the first write is stuck on the disk; the next build's record is still taken at once
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> writer.offer(record("api", "sha256:2", "main.go")));

        sink.release.countDown();
        writer.close(Duration.ofSeconds(10));
        assertThat(sink.written).containsExactly("web@sha256:1", "api@sha256:2");
    }

    @Test
    void ofSeveralRecordsOfOneComponentWaitingOnlyTheNewestIsWritten() throws Exception {
        HeldSink sink = new HeldSink();
        RecordWriter writer = new RecordWriter(sink, message -> { });
        writer.offer(record("web", "sha256:1", "a"));
        assertThat(sink.firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        writer.offer(record("web", "sha256:2", "a", "b"));
        writer.offer(record("web", "sha256:3", "a", "b", "c"));

        sink.release.countDown();
        writer.close(Duration.ofSeconds(10));
        assertThat(sink.written).containsExactly("web@sha256:1", "web@sha256:3");
    }

    @Test
    void closingWritesEveryRecordStillQueuedToDisk() throws Exception {
        BuiltRecords records = new BuiltRecords(dab);
        RecordWriter writer = new RecordWriter(records::write, message -> { });
        for (int i = 0; i < 20; i++) {
            writer.offer(record("c" + (i % 4), "sha256:" + i, "file" + i));
        }
        writer.close(Duration.ofSeconds(10));

        // each component's last offer, as the files on disk say
        try (var files = Files.list(records.dir())) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("c0", "c1", "c2", "c3");
        }
        for (int c = 0; c < 4; c++) {
            String lines = Files.readString(records.fileOf("c" + c));
            assertThat(lines).contains("digest sha256:" + (16 + c) + "\n", " file" + (16 + c) + "\n", "end 1\n");
        }
    }

    @Test
    void aRecordOfferedAfterCloseIsStillWritten() throws Exception {
        BuiltRecords records = new BuiltRecords(dab);
        RecordWriter writer = new RecordWriter(records::write, message -> { });
        writer.close(Duration.ofSeconds(1));

        writer.offer(record("late", "sha256:9", "page.html"));

        assertThat(Files.readString(records.fileOf("late"))).contains("digest sha256:9\n");
    }

    @Test
    void aRecordThatCannotBeWrittenIsReportedAndTheNextOneIsWritten() throws Exception {
        Files.writeString(dab.resolve("built"), "a file where the records' folder belongs");
        List<String> warnings = new CopyOnWriteArrayList<>();
        BuiltRecords blocked = new BuiltRecords(dab);
        RecordWriter writer = new RecordWriter(blocked::write, warnings::add);

        writer.offer(record("web", "sha256:1", "index.html"));
        await().atMost(Duration.ofSeconds(10)).until(() -> !warnings.isEmpty());
        assertThat(warnings.get(0)).contains("cannot record what web was built from", "the image's label says what it holds");

        Files.delete(dab.resolve("built"));
        writer.offer(record("web", "sha256:2", "index.html"));
        writer.close(Duration.ofSeconds(10));
        assertThat(Files.readString(blocked.fileOf("web"))).contains("digest sha256:2\n");
        assertThat(warnings).hasSize(1);
    }

    private static BuiltRecord record(String component, String digest, String... paths) {
        TreeMap<String, FileFingerprint> files = new TreeMap<>();
        byte[] hash = new byte[32];
        for (String path : paths) {
            hash[0]++;
            files.put(path, FileFingerprint.of(hash.clone()));
        }
        return new BuiltRecord(component, digest, FileTable.of(files));
    }
}
