package dev.autorebuild.cli;

import dev.autorebuild.core.Component;
import dev.autorebuild.core.RebuildEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * notify: true runs notify-send. A real desktop notification needs a session bus and a notification
 * daemon, which no test machine has: here a notify-send of our own on the PATH records what it was
 * asked to show, which is exactly the contract with the real one (its arguments).
 */
class DesktopNotifierTest {
    @TempDir
    Path bin;

    private final Component web = Component.of("shop", "web");
    private final AtomicBoolean enabled = new AtomicBoolean(true);

    private Path fakeNotifySend() throws IOException {
        Path calls = bin.resolve("calls");
        Path script = bin.resolve("notify-send");
        Files.writeString(script, "#!/bin/sh\nprintf '%s|' \"$@\" >> '" + calls + "'\necho >> '" + calls + "'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        return calls;
    }

    private DesktopNotifier notifier(String path) {
        return new DesktopNotifier(enabled::get, Map.of("PATH", path));
    }

    @Test
    void aFailure_andTheRecoveryAfterIt_areNotified_butNotEverySuccess() throws Exception {
        Path calls = fakeNotifySend();
        DesktopNotifier n = notifier("/nonexistent:" + bin);
        n.on(new RebuildEvent.BuildSucceeded(web, "sha256:1", "d1", Duration.ofMillis(300))); // nothing failed before: quiet
        n.on(new RebuildEvent.BuildFailed(web, Optional.of("RUN make"), "exit 2", Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(calls) && Files.readAllLines(calls).size() == 1);
        n.on(new RebuildEvent.BuildSucceeded(web, "sha256:2", "d2", Duration.ofMillis(300)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(calls).size() == 2);
        n.on(new RebuildEvent.BuildSucceeded(web, "sha256:3", "d3", Duration.ofMillis(300))); // a success after a success: quiet
        // a failure after it is a marker: once it is shown, anything the third success had sent would be there too
        n.on(new RebuildEvent.BuildFailed(web, Optional.empty(), "again", Duration.ofSeconds(1)));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readAllLines(calls).size() >= 3);
        assertThat(Files.readAllLines(calls)).containsExactly(
                "--app-name=auto-rebuild|--urgency=critical|web: build failed|at RUN make: exit 2|",
                "--app-name=auto-rebuild|--urgency=normal|web: builds again|shop-web:latest is up to date|",
                "--app-name=auto-rebuild|--urgency=critical|web: build failed|again|");
    }

    @Test
    void turnedOff_nothingRuns() throws Exception {
        Path calls = fakeNotifySend();
        enabled.set(false);
        notifier(bin.toString()).on(new RebuildEvent.BuildFailed(web, Optional.empty(), "exit 2", Duration.ZERO));
        enabled.set(true);
        DesktopNotifier n = notifier(bin.toString());
        n.on(new RebuildEvent.BuildFailed(web, Optional.empty(), "second", Duration.ZERO));
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(calls) && Files.readAllLines(calls).size() == 1);
        assertThat(Files.readAllLines(calls)).singleElement().asString().contains("second");
    }

    @Test
    void withoutNotifySendOnThePath_eventsPassWithoutAnError() {
        DesktopNotifier n = notifier("/nonexistent:/also-not-there");
        org.assertj.core.api.Assertions.assertThatCode(() -> {
            n.on(new RebuildEvent.BuildFailed(web, Optional.empty(), "exit 2", Duration.ZERO));
            n.on(new RebuildEvent.BuildSucceeded(web, "sha256:2", "d2", Duration.ZERO));
        }).doesNotThrowAnyException();
    }
}
