package dev.autorebuild.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * One daemon per workspace. The live daemon holds an OS lock on {@code .dab/auto-rebuild.lock} for
 * its whole life; the kernel releases it when the process ends, even by SIGKILL, so "is a daemon
 * running here?" never depends on a PID file that may be stale or a pid that may have been reused.
 * The file's text ({@code pid startMillis}) names the holder.
 *
 * <p>POSIX locks belong to the process and any close of the file drops them: the daemon therefore
 * opens the lock file exactly once, through {@link #acquire}.
 */
public final class WorkspaceLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private WorkspaceLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The outcome of trying to become the workspace's daemon. */
    public sealed interface Attempt {}

    public record Acquired(WorkspaceLock lock, Optional<ProcessStart> previousHolder) implements Attempt {}

    public record HeldBy(Optional<ProcessStart> holder) implements Attempt {}

    /** Takes the lock for this process, recording its pid and start time in the file. */
    public static Attempt acquire(DabDir dab, ProcessStart self) throws IOException {
        dab.create();
        FileChannel channel = FileChannel.open(dab.lockFile(), StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock = tryLock(channel);
        // A client probing with holder() holds the lock for microseconds: unless a live daemon is
        // recorded, look again a few times before giving up.
        for (int retry = 0; lock == null && retry < 10 && !readHolder(channel).map(ProcessStart::isAlive).orElse(false); retry++) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            lock = tryLock(channel);
        }
        Optional<ProcessStart> recorded = readHolder(channel);
        if (lock == null) {
            channel.close();
            return new HeldBy(recorded);
        }
        channel.truncate(0);
        channel.write(ByteBuffer.wrap((self.serialise() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        channel.force(false);
        return new Acquired(new WorkspaceLock(channel, lock), recorded);
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this JVM already holds it
        }
    }

    /**
     * The daemon holding the workspace, if one is alive. Never creates anything.
     *
     * @throws AccessDeniedException when the state folder belongs to another user: whether a daemon
     *                               runs there is theirs to know, and only they may control it
     */
    public static Optional<ProcessStart> holder(DabDir dab) throws AccessDeniedException {
        try (FileChannel channel = FileChannel.open(dab.lockFile(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe != null) {
                probe.release();
                return Optional.empty(); // nobody holds it: no daemon
            }
            return Optional.of(readHolder(channel).orElse(new ProcessStart(-1, 0)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (AccessDeniedException e) {
            throw e;
        } catch (OverlappingFileLockException e) {
            return Optional.of(ProcessStart.current()); // this very process holds it
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<ProcessStart> readHolder(FileChannel channel) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.read(buffer, 0);
        return ProcessStart.parse(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
