package dev.autorebuild.core.content;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileTableTest {
    private static final FileFingerprint ONE = new FileFingerprint(1, 2, 3, 4);
    private static final FileFingerprint TWO = new FileFingerprint(-1, Long.MIN_VALUE, Long.MAX_VALUE, 0);

    private static FileTable table(Object... pathsAndPrints) {
        TreeMap<String, FileFingerprint> files = new TreeMap<>();
        for (int i = 0; i < pathsAndPrints.length; i += 2) {
            files.put((String) pathsAndPrints[i], (FileFingerprint) pathsAndPrints[i + 1]);
        }
        return FileTable.of(files);
    }

    /**
     * UTF-8's byte order puts U+1F600 (four bytes from F0) after U+FFFD (EF BF BD); String's order puts it
     * before (its first UTF-16 unit, D83D, is below FFFD). The table keeps String's order, written out by hand.
     */
    @Test
    void paths_areInStringOrder_evenWhereUtf8sByteOrderDiffers() {
        FileTable files = table("a/\uFFFD", ONE, "a/\uD83D\uDE00", ONE, "a/é", ONE, "a/z", ONE, "a", ONE, "a-b", ONE, "a/", ONE);

        assertThat(files.paths()).containsExactly("a", "a-b", "a/", "a/z", "a/é", "a/\uD83D\uDE00", "a/\uFFFD");
        assertThat(files.indexOf("a/\uD83D\uDE00")).isEqualTo(5);
        assertThat(files.indexOf("a/\uFFFD")).isEqualTo(6);
        assertThat(files.indexOf("a/y")).as("absent: -(where it would go) - 1").isEqualTo(-3 - 1);
        assertThat(files.firstFrom("a/")).isEqualTo(2);
        assertThat(files.firstFrom("a0")).isEqualTo(7);
    }

    @Test
    void lookups_findWhatWasPut_andNothingElse() {
        FileTable files = table("web/index.html", ONE, "web/app.js", TWO);

        assertThat(files.get("web/index.html")).isEqualTo(ONE);
        assertThat(files.get("web/app.js")).isEqualTo(TWO);
        assertThat(files.get("web/app")).isNull();
        assertThat(files.holds("web/app.js", TWO)).isTrue();
        assertThat(files.holds("web/app.js", ONE)).isFalse();
        assertThat(files.holds("web/gone", null)).as("null: the table does not hold the path").isTrue();
        assertThat(files.holds("web/app.js", null)).isFalse();
        assertThat(FileTable.EMPTY.get("x")).isNull();
        assertThat(FileTable.EMPTY.paths()).isEmpty();
    }

    @Test
    void changes_addReplaceAndRemove_andLeaveTheOriginalAlone() {
        FileTable before = table("b", ONE, "d", ONE, "f", ONE);
        TreeMap<String, FileFingerprint> changes = new TreeMap<>();
        changes.put("a", TWO);      // before everything
        changes.put("d", TWO);      // replaced
        changes.put("e", null);     // never there: nothing to remove
        changes.put("f", null);     // removed
        changes.put("g", ONE);      // after everything

        FileTable after = before.with(changes);

        assertThat(after).isEqualTo(table("a", TWO, "b", ONE, "d", TWO, "g", ONE));
        assertThat(before).isEqualTo(table("b", ONE, "d", ONE, "f", ONE));
        assertThat(before.with(new TreeMap<>())).isSameAs(before);
    }

    @Test
    void differences_areThePathsAddedRemovedOrChanged_inPathOrder() {
        FileTable built = table("same", ONE, "edited", ONE, "removed", ONE);
        FileTable now = table("same", ONE, "edited", TWO, "added", ONE);

        assertThat(built.differences(now)).containsExactly("added", "edited", "removed");
        assertThat(now.differences(built)).containsExactly("added", "edited", "removed");
        assertThat(built.differences(built)).isEmpty();
        assertThat(FileTable.EMPTY.differences(now)).containsExactly("added", "edited", "same");
    }

    /** The digest's bytes, laid out by hand: recipe, NUL, then per file its path, NUL and 32 big-endian bytes. */
    @Test
    void theDigest_hashesRecipeThenEachPathAndFingerprint_inPathOrder() throws Exception {
        FileTable files = table("z", ONE, "é", TWO);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("docker build .".getBytes(StandardCharsets.UTF_8));
        expected.write(0);
        expected.writeBytes(new byte[] {'z', 0});
        expected.writeBytes(HexFormat.of().parseHex("0000000000000001" + "0000000000000002" + "0000000000000003" + "0000000000000004"));
        expected.writeBytes(new byte[] {(byte) 0xC3, (byte) 0xA9, 0});
        expected.writeBytes(HexFormat.of().parseHex("ffffffffffffffff" + "8000000000000000" + "7fffffffffffffff" + "0000000000000000"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected.toByteArray()));

        assertThat(ContentDigest.of(files, "docker build .")).isEqualTo("sha256:" + sha);
    }

    @Test
    void aLoneSurrogate_isRefused_sinceItCannotBeWrittenAsUtf8() {
        assertThatThrownBy(() -> table("a\uD800b", ONE)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
    }

    @Test
    void manyFiles_grownInSteps_readBackAsWritten() {
        TreeMap<String, FileFingerprint> files = new TreeMap<>();
        for (int i = 0; i < 5_000; i++) {
            files.put("src/d" + (i % 37) + "/f" + i + ".txt", new FileFingerprint(i, -i, i * 31L, 7));
        }
        FileTable table = FileTable.of(files);
        FileTable grown = FileTable.EMPTY;
        TreeMap<String, FileFingerprint> step = new TreeMap<>();
        for (Map.Entry<String, FileFingerprint> file : files.entrySet()) {
            step.put(file.getKey(), file.getValue());
            if (step.size() == 333) {
                grown = grown.with(step);
                step.clear();
            }
        }
        grown = grown.with(step);

        assertThat(grown).isEqualTo(table);
        assertThat(table.paths()).containsExactlyElementsOf(files.keySet());
        for (int i = 0; i < table.size(); i++) {
            assertThat(table.fingerprint(i)).isEqualTo(files.get(table.path(i)));
        }
    }
}
