package dev.autorebuild.cli;

import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.engine.RebuildListener;
import org.jboss.logging.Logger;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * dab.yml's {@code notify: true}: a desktop notification when a component's build fails, and when it
 * builds again after failing. Through {@code notify-send} when it is on the PATH; where it is not (a
 * server, a container), nothing happens and nothing is said: notifications are a nicety, never an error.
 */
final class DesktopNotifier implements RebuildListener {
    private static final Logger LOG = Logger.getLogger("auto-rebuild");

    private final BooleanSupplier enabled;
    private final Map<String, String> env;
    private final Set<String> failing = ConcurrentHashMap.newKeySet();

    DesktopNotifier(BooleanSupplier enabled, Map<String, String> env) {
        this.enabled = enabled;
        this.env = env;
    }

    @Override
    public void on(RebuildEvent event) {
        if (event instanceof RebuildEvent.BuildFailed f) {
            failing.add(f.component().folder());
            send("critical", f.component().folder() + ": build failed",
                    f.step().map(step -> "at " + step + ": ").orElse("") + f.message());
        } else if (event instanceof RebuildEvent.BuildSucceeded b && failing.remove(b.component().folder())) {
            send("normal", b.component().folder() + ": builds again", b.component().image() + " is up to date");
        }
    }

    private void send(String urgency, String title, String body) {
        if (!enabled.getAsBoolean()) {
            return;
        }
        Optional<Path> notifySend = onPath("notify-send");
        if (notifySend.isEmpty()) {
            return;
        }
        try {
            new ProcessBuilder(List.of(notifySend.get().toString(), "--app-name=auto-rebuild", "--urgency=" + urgency, title, body))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start(); // not waited for: a desktop without a notification service must not hold up the engine
        } catch (java.io.IOException e) {
            LOG.debugf("notify-send failed: %s", e.getMessage());
        }
    }

    private Optional<Path> onPath(String command) {
        for (String dir : env.getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate) && !Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
