package dev.autorebuild.engine;

import dev.autorebuild.core.RebuildEvent.BuildStarted;
import org.junit.jupiter.api.Test;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ways editors save, each done to a real file: with new content exactly one build, with the same
 * content none. (The marker write at the end is judged after everything before it.)
 */
class EditorSavesDockerTest extends RealEngineTest {

    /** Writes a temp file beside the target and renames it over the target (most IDEs, Emacs by default). */
    private void atomicSave(String relative, String content) throws Exception {
        Path target = ws.root().resolve(relative);
        Path temp = target.resolveSibling("." + target.getFileName() + ".tmp" + System.nanoTime());
        Files.writeString(temp, content);
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** vim with backupcopy=no: probes with a file named 4913, renames the file to file~, writes a new one, deletes file~. */
    private void vimSave(String relative, String content) throws Exception {
        Path target = ws.root().resolve(relative);
        Path probe = target.resolveSibling("4913");
        Files.writeString(probe, "");
        Files.delete(probe);
        Path backup = target.resolveSibling(target.getFileName() + "~");
        Files.move(target, backup, StandardCopyOption.REPLACE_EXISTING);
        Files.writeString(target, content);
        Files.delete(backup);
    }

    /** Truncates in place, then writes (editors that keep the inode, and shell redirection). */
    private void truncateThenWrite(String relative, String content) throws Exception {
        try (FileOutputStream out = new FileOutputStream(ws.root().resolve(relative).toFile(), false)) {
            out.getFD().sync(); // the truncation reaches the disk first: a watcher sees an empty file
            out.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void eachWayOfSaving_buildsOnceForNewContent_andNeverForTheSameContent() throws Exception {
        ws.component("web");
        startAndAwaitBuilt("web");
        String[] contents = {"v1 atomic\n", "v2 vim\n", "v3 truncate\n"};
        for (int round = 0; round < 3; round++) {
            int mark = events.size();
            save(round, "web/index.html", contents[round]);
            awaitBuilt(mark, "web");
            assertThat(buildsStarted(mark, "web")).as("round %d with new content", round).isEqualTo(1);

            int same = events.size();
            save(round, "web/index.html", contents[round]);
            awaitJudged(same, "web", "index.html");
            assertThat(events.since(same, BuildStarted.class)).as("round %d with the same content", round).isEmpty();
        }
    }

    private void save(int way, String relative, String content) throws Exception {
        switch (way) {
            case 0 -> atomicSave(relative, content);
            case 1 -> vimSave(relative, content);
            default -> truncateThenWrite(relative, content);
        }
    }
}
