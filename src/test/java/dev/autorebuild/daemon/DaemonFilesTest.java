package dev.autorebuild.daemon;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The daemon's files on a real file system: modes, stale detection, registry cleaning, log capping. */
class DaemonFilesTest {
    @TempDir
    Path dir;

    @Test
    void pidFileAndLog_getTheSeedsModes() throws Exception {
        DabDir dab = DabDir.of(dir).create();
        PidFile.write(dab.pidFile(), 4242);
        Path log = dab.createLog();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dab.pidFile()))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-r-----");
        assertThat(PidFile.read(dab.pidFile())).contains(4242L);
        assertThat(Files.readString(dab.pidFile())).isEqualTo("4242\n");
    }

    @Test
    void aProcessIsAliveOnlyWithItsOwnStartTime_soAReusedPidIsSeenAsReused() {
        ProcessStart self = ProcessStart.current();
        assertThat(self.isAlive()).isTrue();
        ProcessStart earlierHolderOfThisPid = new ProcessStart(self.pid(), self.startMillis() - 60_000);
        assertThat(earlierHolderOfThisPid.isAlive()).isFalse();
        assertThat(earlierHolderOfThisPid.whyNotAlive()).startsWith("pid " + self.pid() + " now belongs to another process");
        assertThat(new ProcessStart(Integer.MAX_VALUE, 1).whyNotAlive()).isEqualTo("pid " + Integer.MAX_VALUE + " is gone");
    }

    @Test
    void theRegistry_listsLiveDaemons_andDeletesEntriesOfDeadOnes() throws Exception {
        DaemonRegistry registry = new DaemonRegistry(dir.resolve("registry"));
        registry.register(Path.of("/srv/alive"), ProcessStart.current());
        registry.register(Path.of("/srv/dead"), new ProcessStart(Integer.MAX_VALUE, 1));
        assertThat(registry.running()).extracting(DaemonRegistry.Entry::workspace).containsExactly(Path.of("/srv/alive"));
        try (var files = Files.list(registry.dir())) {
            assertThat(files.count()).as("the dead daemon's entry is deleted").isEqualTo(1);
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(registry.dir()))).isEqualTo("rwx------");
        registry.unregister(Path.of("/srv/alive"), ProcessStart.current());
        assertThat(registry.running()).isEmpty();
    }

    @Test
    void theLock_isExclusive_andNamesItsHolder() throws Exception {
        DabDir dab = DabDir.of(dir);
        assertThat(WorkspaceLock.holder(dab)).as("no lock file: no daemon").isEmpty();
        var attempt = WorkspaceLock.acquire(dab, ProcessStart.current());
        assertThat(attempt).isInstanceOf(WorkspaceLock.Acquired.class);
        try (WorkspaceLock lock = ((WorkspaceLock.Acquired) attempt).lock()) {
            assertThat(WorkspaceLock.acquire(dab, ProcessStart.current())).isInstanceOf(WorkspaceLock.HeldBy.class);
            assertThat(Files.readString(dab.lockFile()).strip())
                    .isEqualTo(ProcessStart.current().pid() + " " + ProcessStart.current().startMillis());
        }
        assertThat(WorkspaceLock.holder(dab)).as("released").isEmpty();
    }

    @Test
    void theLog_isCappedLikeCopytruncate_andAnAppendingWriterCarriesOn() throws Exception {
        DabDir dab = DabDir.of(dir);
        Path log = dab.createLog();
        try (FileOutputStream daemonStdout = new FileOutputStream(log.toFile(), true)) {
            daemonStdout.write("old line\n".repeat(100).getBytes(StandardCharsets.UTF_8));
            assertThat(LogCap.capIfNeeded(log, dab.logBackup(), 2000)).as("under the cap").isFalse();
            daemonStdout.write("old line\n".repeat(200).getBytes(StandardCharsets.UTF_8));
            assertThat(LogCap.capIfNeeded(log, dab.logBackup(), 2000)).isTrue();
            daemonStdout.write("new line\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(Files.readAllLines(log)).isEqualTo(List.of("new line"));
        assertThat(Files.readAllLines(dab.logBackup())).hasSize(300).containsOnly("old line");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dab.logBackup()))).isEqualTo("rw-r-----");
    }
}
