package dev.autorebuild.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The inotify limit message, as the JDK words it on this kernel, turned into one a user can act on; the folder count. */
class WorkspaceWatcherTest {
    @TempDir
    Path root;

    @Test
    void theFoldersCounted_areEveryFolderAndTheRoot_notFilesNorLinksToFolders() throws Exception {
        FolderTree fixture = FolderTree.write(root, 30); // its own list of the folders it made is the oracle
        Files.createSymbolicLink(root.resolve("a0/to-b"), root.resolve("a0/b"));
        Files.createDirectories(root.resolve("empty"));
        assertThat(WorkspaceWatcher.countFolders(root)).isEqualTo(fixture.folders().size() + 1L);
    }

    @Test
    void theInotifyWatchLimit_isNamedWithItsFigureAndTheFix() throws Exception {
        IOException jdk = new IOException("User limit of inotify watches reached");
        IOException explained = WorkspaceWatcher.explained(jdk);
        Process sysctl = new ProcessBuilder("cat", "/proc/sys/fs/inotify/max_user_watches").start(); // what a user would see
        String figure = new String(sysctl.getInputStream().readAllBytes()).strip();
        assertThat(figure).matches("\\d{2,}");
        assertThat(explained.getMessage()).startsWith("the kernel's limit of watched folders is reached (fs.inotify.max_user_watches = "
                + figure + ", shared by every program of this user): raise it, e.g. sudo sysctl fs.inotify.max_user_watches=524288");
        assertThat(explained).hasCause(jdk);
        IOException other = new IOException("Permission denied");
        assertThat(WorkspaceWatcher.explained(other)).isSameAs(other);
    }
}
