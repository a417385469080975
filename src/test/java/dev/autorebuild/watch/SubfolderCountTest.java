package dev.autorebuild.watch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Subfolder counts read from real folders on this machine's file systems. */
class SubfolderCountTest {
    @TempDir
    Path root;

    @Test
    void aFolderOnAFileSystemThatCountsLinks_countsItsSubfoldersButNotItsFilesOrLinks() throws Exception {
        Path folder = Files.createDirectories(root.resolve("src"));
        for (String sub : new String[] {"a", "b", "c"}) {
            Files.createDirectories(folder.resolve(sub).resolve("deeper"));
        }
        Files.writeString(folder.resolve("x.txt"), "x");
        Files.createSymbolicLink(folder.resolve("to-a"), folder.resolve("a"));
        String type = Files.getFileStore(root).type();
        // the machines this runs on keep their temporary folders on ext4 or tmpfs; elsewhere nothing is trusted
        int expected = Set.of("ext2", "ext3", "ext4", "xfs", "tmpfs").contains(type) ? 3 : SubfolderCount.UNKNOWN;
        assertThat(SubfolderCount.forTree(root).of(folder)).as("on %s", type).isEqualTo(expected);
    }

    @Test
    void aFolderOnAnotherDeviceThanTheTreesRoot_isNeverTrusted() throws Exception {
        Path shm = Path.of("/dev/shm"); // tmpfs, a device of its own (Linux)
        Path elsewhere = Files.createTempDirectory(shm, "dab-count");
        try {
            Files.createDirectories(elsewhere.resolve("a"));
            assertThat(Files.getAttribute(elsewhere, "unix:dev")).as("a device other than the tree's")
                    .isNotEqualTo(Files.getAttribute(root, "unix:dev"));
            assertThat(SubfolderCount.forTree(root).of(elsewhere)).isEqualTo(SubfolderCount.UNKNOWN);
            assertThat(SubfolderCount.forTree(elsewhere).of(elsewhere)).as("its own tree: tmpfs counts").isEqualTo(1);
        } finally {
            Files.delete(elsewhere.resolve("a"));
            Files.delete(elsewhere);
        }
    }

    @Test
    void aTreeThatIsGone_countsNothing() {
        assertThat(SubfolderCount.forTree(root.resolve("gone")).of(root)).isEqualTo(SubfolderCount.UNKNOWN);
    }

    @Test
    void aLinkCountUnderTwo_saysNothing_andTwoMeansNoSubfolder() {
        // btrfs and overlayfs say 1 for every folder; ext4 says 1 past 65,000 subfolders
        assertThat(SubfolderCount.fromLinks(0)).isEqualTo(SubfolderCount.UNKNOWN);
        assertThat(SubfolderCount.fromLinks(1)).isEqualTo(SubfolderCount.UNKNOWN);
        assertThat(SubfolderCount.fromLinks(2)).isZero();
        assertThat(SubfolderCount.fromLinks(12)).isEqualTo(10);
    }
}
