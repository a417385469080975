package dev.autorebuild.fs;

import dev.autorebuild.core.content.BuiltRecord;
import dev.autorebuild.core.content.FileFingerprint;
import dev.autorebuild.core.content.FileTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BuiltRecordsTest {
    @TempDir
    Path dab;

    @Test
    void aRecordReadsBackAsWritten_whateverCharactersItsPathsHold() throws Exception {
        BuiltRecords records = new BuiltRecords(dab);
        BuiltRecord record = record("web", "web/index.html", "web/a file with spaces", "web/new\nline", "web/100%.txt",
                "web/ünïcødé/日本.txt", "web/+plus");

        records.write(record);

        assertThat(records.read("web")).contains(record);
        assertThat(records.read("api")).isEmpty();
    }

    @Test
    void aCutOrForeignRecord_isRefusedWithTheReason_notMisread() throws Exception {
        BuiltRecords records = new BuiltRecords(dab);
        records.write(record("web", "web/a", "web/b", "web/c"));
        Path file = records.fileOf("web");
        List<String> lines = Files.readAllLines(file);

        Files.write(file, lines.subList(0, lines.size() - 2)); // cut: the last file and the count are gone
        assertThatThrownBy(() -> records.read("web")).isInstanceOf(IOException.class).hasMessageContaining("cut short");

        List<String> miscounted = new ArrayList<>(lines);
        miscounted.remove(4);
        Files.write(file, miscounted);
        assertThatThrownBy(() -> records.read("web")).hasMessageContaining("says it holds 3 files but holds 2");

        Files.writeString(file, "\u0000\u0001 binary noise");
        assertThatThrownBy(() -> records.read("web")).hasMessageContaining("is not a record auto-rebuild wrote");

        records.write(record("api", "api/x"));
        Files.copy(records.fileOf("api"), file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> records.read("web")).hasMessageContaining("is the record of api, not of web");
    }

    /** Temp file, flush, rename: a reader (the next start) sees the old record or the new one, never part of one. */
    @Test
    void aReaderNeverSeesHalfARecord_whileItIsRewritten() throws Exception {
        BuiltRecords records = new BuiltRecords(dab);
        BuiltRecord small = record("web", "web/only");
        BuiltRecord big = record("web", manyPaths(20_000));
        records.write(small);
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Throwable> failures = new ArrayList<>();
        Thread writer = new Thread(() -> {
            try {
                for (int i = 0; i < 30; i++) {
                    records.write(i % 2 == 0 ? big : small);
                }
            } catch (Throwable t) {
                failures.add(t);
            } finally {
                writing.set(false);
            }
        });
        writer.start();
        int reads = 0;
        while (writing.get() || reads == 0) {
            BuiltRecord seen = records.read("web").orElseThrow();
            assertThat(seen.equals(small) || seen.equals(big)).as("whole record, read %d", reads).isTrue();
            reads++;
        }
        writer.join();
        assertThat(failures).isEmpty();
        try (var left = Files.list(records.dir())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).as("no temp file left").containsExactly("web");
        }
    }

    @Test
    void atStart_tempFilesACrashLeftAndRecordsOfGoneComponentsAreRemoved() throws Exception {
        BuiltRecords records = new BuiltRecords(dab);
        records.write(record("web", "web/a"));
        records.write(record("old", "old/a"));
        Files.writeString(records.dir().resolve(".web12345.tmp"), "auto-rebuild built-content 1\ncomponent web\ndig");

        records.removeAllBut(Set.of("web", "api"));

        try (var left = Files.list(records.dir())) {
            assertThat(left.map(p -> p.getFileName().toString()).toList()).containsExactly("web");
        }
        assertThat(records.read("web")).isPresent();
    }

    private static String[] manyPaths(int n) {
        String[] paths = new String[n];
        for (int i = 0; i < n; i++) {
            paths[i] = "web/assets/d" + (i % 100) + "/file-" + i + ".txt";
        }
        return paths;
    }

    private static BuiltRecord record(String component, String... paths) throws Exception {
        SortedMap<String, FileFingerprint> files = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String path : paths) {
            files.put(path, FileFingerprint.of(sha.digest(path.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        }
        return new BuiltRecord(component, "sha256:" + files.hashCode(), FileTable.of(files));
    }
}
