package dev.autorebuild.watch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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

    private final SingleFileWatch watch;
    private final Path gitDir;

    private GitLockWatch(SingleFileWatch watch, Path gitDir) {
        this.watch = watch;
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
        Path lock = gitDir.resolve(LOCK);
        // the file system is the truth: a create and a delete may come in one batch of events
        SingleFileWatch watch = SingleFileWatch.start(lock, () -> {
            if (Files.exists(lock)) {
                listener.locked();
            } else {
                listener.unlocked();
            }
        });
        return new GitLockWatch(watch, gitDir);
    }

    public boolean isLocked() {
        return Files.exists(gitDir.resolve(LOCK));
    }

    public Path lockFile() {
        return lockFileOf(gitDir);
    }

    /** The lock file git holds in {@code gitDir} while it writes the index and the work tree. */
    public static Path lockFileOf(Path gitDir) {
        return gitDir.resolve(LOCK);
    }

    @Override
    public void close() throws IOException {
        watch.close();
    }
}
