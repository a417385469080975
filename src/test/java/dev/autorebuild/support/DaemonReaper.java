package dev.autorebuild.support;

import dev.autorebuild.daemon.DaemonRegistry;
import dev.autorebuild.daemon.ProcessStart;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Kills (SIGKILL) every daemon a test left running, found in the test's own registry and among the
 * pids the test recorded, so one failing test cannot leave processes that disturb the next.
 */
public final class DaemonReaper implements AfterEachCallback {
    private final PackagedApp app;
    private final List<Long> extraPids = new CopyOnWriteArrayList<>();

    public DaemonReaper(PackagedApp app) {
        this.app = app;
    }

    /** A daemon that may not be in the registry (e.g. killed before it registered). */
    public void track(long pid) {
        extraPids.add(pid);
    }

    @Override
    public void afterEach(ExtensionContext context) throws Exception {
        List<Long> pids = new java.util.ArrayList<>(extraPids);
        new DaemonRegistry(registryDir()).running().forEach(e -> pids.add(e.process().pid()));
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(20)).until(() -> !isRunning(pid));
        }
        extraPids.clear();
    }

    private Path registryDir() {
        return app.runtimeDir().resolve("auto-rebuild");
    }

    /** Whether the process is running (a zombie waiting for its parent counts as ended). */
    public static boolean isRunning(long pid) {
        return ProcessStart.startMillisOf(pid).isPresent();
    }
}
