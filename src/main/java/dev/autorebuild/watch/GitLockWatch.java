package dev.autorebuild.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Optional;

/**
 * Tells when git is rewriting the work tree: a checkout, rebase or pull holds {@code .git/index.lock}
 * while it writes files. Watchman waits for that lock before reporting a checkout; so do we: builds
 * are held while it exists, so a branch switch of thousands of files gives one build per component.
 * Works for the repository that contains the workspace, wherever its {@code .git} is.
 */
public final class GitLockWatch implements AutoCloseable {
    public static final String LOCK = "index.lock";

    /** Receives lock changes on the watch thread: must only hand them on. */
    public interface Listener {
        void locked();

        void unlocked();
    }

    private final WatchService service;
    private final Path gitDir;

    private GitLockWatch(WatchService service, Path gitDir) {
        this.service = service;
        this.gitDir = gitDir;
    }

    /** The git folder of the repository holding {@code workspace}, if it is in one. */
    public static Optional<Path> gitDirOf(Path workspace) {
        for (Path dir = workspace.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path git = dir.resolve(".git");
            if (Files.isDirectory(git)) {
                return Optional.of(git);
            }
            if (Files.isRegularFile(git)) { // a worktree or submodule: "gitdir: <path>"
                try {
                    String line = Files.readString(git).strip();
                    if (line.startsWith("gitdir:")) {
                        Path target = dir.resolve(line.substring("gitdir:".length()).strip()).normalize();
                        return Files.isDirectory(target) ? Optional.of(target) : Optional.empty();
                    }
                } catch (IOException e) {
                    return Optional.empty();
                }
            }
        }
        return Optional.empty();
    }

    public static GitLockWatch start(Path gitDir, Listener listener) throws IOException {
        WatchService service = FileSystems.getDefault().newWatchService();
        gitDir.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_DELETE);
        GitLockWatch watch = new GitLockWatch(service, gitDir);
        Thread thread = new Thread(() -> watch.loop(listener), "dab-git-lock");
        thread.setDaemon(true);
        thread.start();
        return watch;
    }

    public boolean isLocked() {
        return Files.exists(gitDir.resolve(LOCK));
    }

    public Path lockFile() {
        return gitDir.resolve(LOCK);
    }

    private void loop(Listener listener) {
        try {
            while (true) {
                WatchKey key = service.take();
                boolean touched = false;
                for (WatchEvent<?> event : key.pollEvents()) {
                    touched |= event.kind() == StandardWatchEventKinds.OVERFLOW || LOCK.equals(String.valueOf(event.context()));
                }
                key.reset();
                if (touched) {
                    // the file system is the truth: a create and a delete may come in one batch
                    if (isLocked()) {
                        listener.locked();
                    } else {
                        listener.unlocked();
                    }
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
