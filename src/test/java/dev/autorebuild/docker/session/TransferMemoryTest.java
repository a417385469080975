package dev.autorebuild.docker.session;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the daemon tells the engine about a file's time, given what it sent before: every case by hand. */
class TransferMemoryTest {
    private static final String SESSION = "/work/shop/web\nDockerfile";
    private final TransferMemory memory = new TransferMemory();

    /** A regular file (mode 0644) of {@code size} bytes with these times, sent with its real modification time. */
    private static SentFolder.Entry file(String path, long size, long modTime, long ctime) {
        return new SentFolder.Entry(new EntryStat(path, 0644, 1000, 1000, size, modTime, ""), Path.of("/work/shop/web", path), modTime, ctime);
    }

    private static long sentTime(SentFolder folder, String path) {
        return folder.entries().stream().filter(e -> e.stat().path().equals(path)).findFirst().orElseThrow().stat().modTimeNanos();
    }

    @Test
    void aFolderNeverSent_goesWithItsRealTimes() {
        SentFolder now = new SentFolder(List.of(file("a.txt", 3, 100, 100)));
        assertThat(sentTime(memory.adjusted(SESSION, "context", now), "a.txt")).isEqualTo(100);
    }

    @Test
    void aRewriteThatKeptSizeAndTime_butMovedItsChangeTime_getsATimeTheEngineCannotMatch() {
        memory.sent(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 100, 100), file("b.txt", 5, 200, 200))), true);

        SentFolder now = new SentFolder(List.of(file("a.txt", 3, 100, 150), file("b.txt", 5, 200, 200)));
        SentFolder adjusted = memory.adjusted(SESSION, "context", now);
        assertThat(sentTime(adjusted, "a.txt")).as("changed under the same size and time").isEqualTo(101);
        assertThat(sentTime(adjusted, "b.txt")).as("untouched").isEqualTo(200);

        // once the engine has it, the same file unchanged keeps the time it was sent with
        memory.sent(SESSION, "context", adjusted, true);
        assertThat(sentTime(memory.adjusted(SESSION, "context", now), "a.txt")).isEqualTo(101);
        // and a second such rewrite moves it again
        SentFolder again = new SentFolder(List.of(file("a.txt", 3, 100, 170), file("b.txt", 5, 200, 200)));
        assertThat(sentTime(memory.adjusted(SESSION, "context", again), "a.txt")).isEqualTo(102);
    }

    @Test
    void aFileWhoseTimeOrSizeChanged_goesWithItsRealTime() {
        memory.sent(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 100, 100))), true);
        assertThat(sentTime(memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 300, 300)))), "a.txt")).isEqualTo(300);
        assertThat(sentTime(memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 4, 100, 300)))), "a.txt")).isEqualTo(100);
    }

    @Test
    void aFileSentWithAMovedTime_thenRewrittenForReal_countsFromItsNewTime() {
        memory.sent(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 100, 100))), true);
        SentFolder moved = memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 100, 150))));
        memory.sent(SESSION, "context", moved, false);
        assertThat(sentTime(memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 100, 150)))), "a.txt")).isEqualTo(101);

        // a real rewrite goes with its own time, and the engine's copy then has that time
        SentFolder rewritten = memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 300, 300))));
        assertThat(sentTime(rewritten, "a.txt")).isEqualTo(300);
        memory.sent(SESSION, "context", rewritten, false);
        assertThat(sentTime(memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 300, 300)))), "a.txt")).isEqualTo(300);
        // so the next change under the same size and time moves it from there, not from the old moved time
        assertThat(sentTime(memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 300, 350)))), "a.txt")).isEqualTo(301);
    }

    @Test
    void aFailedTransfer_forgetsEverything_andTheEngineIsToldOfANewCopy() {
        String before = memory.sharedKey(SESSION);
        memory.sent(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 100, 100))), true);
        memory.failed(SESSION);

        assertThat(memory.sharedKey(SESSION)).isNotEqualTo(before);
        assertThat(sentTime(memory.adjusted(SESSION, "context", new SentFolder(List.of(file("a.txt", 3, 100, 150)))), "a.txt"))
                .as("nothing known: the new copy starts empty, so the real time is right").isEqualTo(100);
    }

    @Test
    void aPartOfTheFolderSent_updatesOnlyWhatItHeld() {
        memory.sent(SESSION, "context", new SentFolder(List.of(file(".dockerignore", 3, 100, 100), file("a.txt", 3, 100, 100))), true);
        memory.sent(SESSION, "context", new SentFolder(List.of(file(".dockerignore", 3, 100, 150).withSentModTime(101))), false);

        SentFolder now = new SentFolder(List.of(file(".dockerignore", 3, 100, 150), file("a.txt", 3, 100, 100)));
        SentFolder adjusted = memory.adjusted(SESSION, "context", now);
        assertThat(sentTime(adjusted, ".dockerignore")).isEqualTo(101);
        assertThat(sentTime(adjusted, "a.txt")).isEqualTo(100);
    }

    @Test
    void foldersOfOneSession_andSessions_areKeptApart() {
        memory.sent(SESSION, "context", new SentFolder(List.of(file("Dockerfile", 3, 100, 100))), true);
        SentFolder changed = new SentFolder(List.of(file("Dockerfile", 3, 100, 150)));
        assertThat(sentTime(memory.adjusted(SESSION, "dockerfile", changed), "Dockerfile")).isEqualTo(100);
        assertThat(sentTime(memory.adjusted("/work/shop/api\nDockerfile", "context", changed), "Dockerfile")).isEqualTo(100);
        assertThat(sentTime(memory.adjusted(SESSION, "context", changed), "Dockerfile")).isEqualTo(101);
    }
}
