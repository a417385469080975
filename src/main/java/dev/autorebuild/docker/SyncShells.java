package dev.autorebuild.docker;

import com.github.dockerjava.api.DockerClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Live sync's copies: a small batch (what a save touches) goes through a {@link SyncShell} kept open in
 * the container, anything bigger (a branch switch) through one archive upload, as does every batch for
 * a container that cannot run the shell. One shell per container, opened when the daemon starts the
 * container (or at its first sync), gone with it.
 */
final class SyncShells {
    static final int MAX_FILES = 64;
    static final long MAX_BYTES = 1 << 20;
    private static final Duration ANSWER = Duration.ofSeconds(3);

    private final DockerClient docker;
    private final Map<String, SyncShell> shells = new ConcurrentHashMap<>();
    /** Containers whose image has no {@code sh} or {@code base64}: never asked again. */
    private final Set<String> withoutShell = ConcurrentHashMap.newKeySet();

    SyncShells(DockerClient docker) {
        this.docker = docker;
    }

    void copyInto(String id, Map<String, Path> files) {
        shells.values().removeIf(shell -> {
            if (shell.ended()) {
                shell.close(); // ends docker-java's thread that copies its input
            }
            return shell.ended();
        }); // those of containers restarted or gone since
        if (small(files) && !withoutShell.contains(id)) {
            Optional<SyncShell> shell = shell(id);
            if (shell.isPresent()) {
                if (shell.get().write(files, ANSWER)) {
                    return;
                }
                shell.get().close(); // it failed once: the upload does this batch, a new shell the next
                shells.remove(id);
            }
        }
        ContainerFiles.copyInto(docker, id, files);
    }

    /**
     * Removes a save's few deleted paths through the container's open shell (one {@code rm -rf}); empty
     * when there is no shell to use, or it failed: the caller runs {@code rm} as an exec instead.
     */
    Optional<dev.autorebuild.engine.ContainerRuntime.ExecResult> delete(String id, List<String> paths) {
        if (paths.size() > MAX_FILES || withoutShell.contains(id)) {
            return Optional.empty();
        }
        SyncShell open = shells.get(id);
        if (open == null || open.ended()) {
            return Optional.empty(); // not worth opening one for a delete: the exec costs the same as opening it
        }
        Optional<String> failure = open.delete(paths, ANSWER);
        if (failure.isEmpty()) {
            return Optional.of(new dev.autorebuild.engine.ContainerRuntime.ExecResult(0, ""));
        }
        open.close();
        shells.remove(id);
        return Optional.empty();
    }

    /** Opens the container's shell in the background, so its first sync does not wait for it (~150 ms). */
    void prepare(String id) {
        Thread opener = new Thread(() -> shell(id), "sync-shell-" + id.substring(0, Math.min(12, id.length())));
        opener.setDaemon(true);
        opener.start();
    }

    /** One at a time: a copy that arrives while {@link #prepare} opens the shell waits for it, and no container gets two. */
    private synchronized Optional<SyncShell> shell(String id) {
        SyncShell open = shells.get(id);
        if (open != null && !open.ended()) {
            return Optional.of(open);
        }
        try {
            Optional<SyncShell> opened = SyncShell.open(docker, id, ANSWER);
            opened.ifPresentOrElse(s -> shells.put(id, s), () -> withoutShell.add(id));
            return opened;
        } catch (RuntimeException e) {
            return Optional.empty(); // the container may be stopping: the upload reports what is wrong
        }
    }

    private static boolean small(Map<String, Path> files) {
        if (files.size() > MAX_FILES) {
            return false;
        }
        long bytes = 0;
        for (Path file : files.values()) {
            try {
                bytes += Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return bytes <= MAX_BYTES;
    }
}
