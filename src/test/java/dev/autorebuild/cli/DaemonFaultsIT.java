package dev.autorebuild.cli;

import dev.autorebuild.daemon.DaemonRegistry;
import dev.autorebuild.support.DaemonReaper;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.DockerProxy;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;
import dev.autorebuild.support.WallClockShift;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The daemon facing faults, as a process: a start that fails, a deleted component, another user, a
 * full disk, a wall clock that jumps. See RELIABILITY.md.
 */
class DaemonFaultsIT extends DaemonProcessTest {
    @Test
    void aDaemonThatDiesWhileStarting_isReported_withTheTailOfItsLog() throws Exception {
        // a JVM that cannot even start: the daemon has no word of its own, so its log's last lines say why
        ProcessBuilder start = app.builder(dir, "-t", ws.root().toString());
        start.environment().put("AUTO_REBUILD_DAEMON_JAVA_OPTS", "-Xmx1k");
        Path err = dir.resolve("start.err");
        assertThat(start.redirectOutput(dir.resolve("start.out").toFile()).redirectError(err.toFile()).start().waitFor()).isEqualTo(1);

        assertThat(Files.readString(err)).contains("ended while starting", "last lines of " + log() + ":", "Error occurred during initialization of VM");
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).doesNotExist();
        assertThat(new DaemonRegistry(app.runtimeDir().resolve("auto-rebuild")).running()).isEmpty();
    }

    @Test
    void aDaemonThatCannotStartWatching_saysWhyInOneLine_andCleansUp() throws Exception {
        ProcessBuilder start = app.builder(dir, "-t", ws.root().toString());
        start.environment().put("DOCKER_HOST", "nonsense://nowhere");
        Path err = dir.resolve("start.err");
        assertThat(start.redirectOutput(dir.resolve("start.out").toFile()).redirectError(err.toFile()).start().waitFor()).isEqualTo(1);

        assertThat(Files.readString(err).strip()).isEqualTo("auto-rebuild: cannot start watching: cannot set up the Docker client: "
                + "Unsupported protocol scheme: nonsense://nowhere (DOCKER_HOST=nonsense://nowhere; unset it for the local engine, "
                + "or write e.g. unix:///var/run/docker.sock)");
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).as("cleaned up").doesNotExist();
        assertThat(new DaemonRegistry(app.runtimeDir().resolve("auto-rebuild")).running()).isEmpty();
    }

    @Test
    void anEngineThatDoesNotAnswerAtStart_isExplainedAtTheTerminal_inStatus_andOnceInTheLog_andBuildsOnceItAnswers() throws Exception {
        ws.component("web");
        try (DockerProxy proxy = new DockerProxy()) { // closed: what a machine whose engine is not started looks like
            ProcessBuilder start = app.builder(dir, "-t", ws.root().toString());
            start.environment().put("DOCKER_HOST", proxy.host());
            Path out = dir.resolve("start.out");
            assertThat(start.redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor()).isZero();
            assertThat(Files.readString(out)).contains(
                    "auto-rebuild: no Docker engine answers at " + proxy.host() + ": connection refused.",
                    "To fix it: start the engine", "or point DOCKER_HOST at one that runs",
                    "The daemon keeps watching and records every change; it builds as soon as the engine answers");

            PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
            assertThat(status.exitCode()).as(status.toString()).isZero();
            assertThat(status.out().lines().toList().get(1)).startsWith("engine: not answering since ")
                    .contains(proxy.host() + ": connection refused");
            assertThat(status.out()).contains("web  waiting");
            PackagedApp.Result redeploy = app.run(dir, "-s", "redeploy", "-t", ws.root().toString());
            assertThat(redeploy.exitCode()).as("no engine, no redeploy: " + redeploy).isEqualTo(1);
            assertThat(redeploy.err()).contains("redeploy FAILED: cannot tell what is pending, the container engine does not answer");
            dev.autorebuild.support.Dashboard d = dev.autorebuild.support.Dashboard.of(ws.root()); // the page's banner reads this
            io.restassured.RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token()).get("/api/daemon")
                    .then().statusCode(200)
                    .body("engine.answering", org.hamcrest.Matchers.equalTo(false))
                    .body("engine.reason", org.hamcrest.Matchers.equalTo(proxy.host() + ": connection refused"));
            awaitLog("[web] changed; its build waits (the container engine does not answer)", 1);
            assertThat(logText()).contains("the container engine does not answer (" + proxy.host() + ": connection refused)")
                    .doesNotContain("\tat ", "Exception", "build FAILED");

            proxy.up();
            awaitLog("[web] built demo-web:latest", 1);
            assertThat(app.run(dir, "-s", "status", "-t", ws.root().toString()).out()).doesNotContain("engine: not answering");
            assertThat(logText()).doesNotContain("\tat ", "Exception", "build FAILED");
        }
    }

    @Test
    void anEngineThatAcceptsConnectionsButNeverAnswers_holdsNeitherTheStartNorTheStatus() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            List<java.io.Closeable> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            holdEveryConnection(() -> held.add(silent.accept()));
            assertAHungEngineHoldsNeitherTheStartNorTheStatus("tcp://127.0.0.1:" + silent.getLocalPort());
            for (java.io.Closeable c : held) {
                c.close();
            }
        }
    }

    /** The same on a socket file, as the local engine's: a read there ignores the client's read timeout, so this once waited for ever. */
    @Test
    void anEngineOnASocketFileThatNeverAnswers_holdsNeitherTheStartNorTheStatus() throws Exception {
        Path socket = dir.resolve("hung-docker.sock");
        try (var silent = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            silent.bind(java.net.UnixDomainSocketAddress.of(socket));
            List<java.io.Closeable> held = new java.util.concurrent.CopyOnWriteArrayList<>();
            holdEveryConnection(() -> held.add(silent.accept()));
            assertAHungEngineHoldsNeitherTheStartNorTheStatus("unix://" + socket);
            for (java.io.Closeable c : held) {
                c.close();
            }
        }
    }

    private interface Accept {
        void next() throws IOException;
    }

    /** Takes every connection and never answers: a hung dockerd. */
    private static void holdEveryConnection(Accept accept) {
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    accept.next();
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void assertAHungEngineHoldsNeitherTheStartNorTheStatus(String host) throws Exception {
        ws.component("web");
        ProcessBuilder start = app.builder(dir, "-t", ws.root().toString());
        start.environment().put("DOCKER_HOST", host);
        Path out = dir.resolve("start.out");
        Process starting = start.redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertThat(starting.waitFor(150, TimeUnit.SECONDS)).as("the start returns").isTrue();
        assertThat(starting.exitValue()).as(Files.readString(out)).isZero();
        assertThat(Files.readString(out)).contains("auto-rebuild: no Docker engine answers at " + host + ": no answer (timed out).");

        PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("engine: not answering since ", host + ": no answer (timed out)",
                "container: not known while the engine does not answer");
    }

    @Test
    void aDeletedComponent_leavesItsContainerRunning_andSaysSo() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("web", "still here").write("dab.yml", "components:\n  web: {run: {ports: [\"%d:80\"]}}\n".formatted(port));
        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built demo-web:latest", 1);
        assertThat(app.run(dir, "-s", "redeploy", "-t", ws.root().toString()).exitCode()).isZero();

        deleteTree(ws.root().resolve("web"));

        awaitLog("[web] no longer a component: its folder is gone", 1);
        awaitLog("[web] its container demo-web keeps running (auto-rebuild never removes one by itself); remove it with: docker rm -f demo-web", 1);
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("still here");
    }

    @Test
    void aDeletedStateFolder_endsTheDaemon_soNoDaemonRunsUnreachable_andANewStartWatches() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("web", "served").write("dab.yml", "components:\n  web: {run: {ports: [\"%d:80\"]}}\n".formatted(port));
        long first = pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built demo-web:latest", 1);
        assertThat(app.run(dir, "-s", "redeploy", "-t", ws.root().toString()).exitCode()).isZero();

        deleteTree(ws.root().resolve(".dab")); // git clean -fdx, rm -rf .dab

        await().atMost(Duration.ofSeconds(30)).alias("the daemon whose .dab was deleted ends")
                .until(() -> ProcessHandle.of(first).map(ProcessHandle::isAlive).orElse(false) == false);
        assertThat(DockerEngine.httpGet(port, "/index.html")).as("its container keeps serving").contains("served");
        PackagedApp.Result again = app.run(dir, "-t", ws.root().toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(pidOf(again)).isNotEqualTo(first);
        assertThat(app.run(dir, "-s", "status", "-t", ws.root().toString()).out()).contains("daemon " + pidOf(again) + " watching");
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void anotherUser_canNeitherAskNorCommandTheDaemon() throws Exception {
        // A place another user can reach: a world-readable copy of the application and a workspace.
        Path shared = Files.createTempDirectory(Path.of("/tmp"), "dab-other-user-");
        try {
            copyTree(PackagedApp.JAR.getParent(), shared.resolve("app"));
            TestWorkspace other = new TestWorkspace(Files.createDirectories(shared.resolve("ws"))).component("web");
            makeReadableByAll(shared);
            long pid = pidOf(app.run(dir, "-t", other.root().toString()));

            PackagedApp.Result status = asNobody(shared, "-s", "status", "-t", other.root().toString());
            assertThat(status.exitCode()).as(status.toString()).isEqualTo(1);
            assertThat(status.err()).contains(other.root().resolve(".dab") + " belongs to another user",
                    "only the user who started a daemon may control it");
            PackagedApp.Result quit = asNobody(shared, "-s", "quit", "-t", other.root().toString());
            assertThat(quit.exitCode()).isEqualTo(1);
            assertThat(DaemonReaper.isRunning(pid)).as("the daemon ignores other users").isTrue();
            assertThat(mode(other.root().resolve(".dab/auto-rebuild.sock"))).isEqualTo("rw-------");

            assertThat(app.run(dir, "-s", "quit", "-t", other.root().toString()).exitCode()).isZero();
            DockerEngine.removeImagesOf(other.root());
        } finally {
            try (var paths = Files.walk(shared)) {
                for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private PackagedApp.Result asNobody(Path cwd, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("runuser", "-u", "nobody", "--", "java", "-jar",
                cwd.resolve("app/quarkus-run.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("nobody", ".out");
        Path err = Files.createTempFile("nobody", ".err");
        ProcessBuilder builder = new ProcessBuilder(command).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().remove("XDG_RUNTIME_DIR");
        Process process = builder.start();
        assertThat(process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        return new PackagedApp.Result(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void makeReadableByAll(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
    }

    @Test
    void aFullDisk_doesNotStopTheDaemon_andItCarriesOnWhenSpaceReturns() throws Exception {
        Path small = Files.createDirectories(dir.resolve("small"));
        mountTmpfs(small, "4m");
        try {
            TestWorkspace tiny = new TestWorkspace(Files.createDirectories(small.resolve("tiny"))).component("web");
            long pid = pidOf(app.run(dir, "-t", tiny.root().toString()));
            Path log = tiny.root().resolve(".dab/auto-rebuild.log");
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(log).contains("[web] built tiny-web:latest"));

            Path filler = small.resolve("filler");
            fillUp(filler);
            PackagedApp.Result reload = app.run(dir, "-s", "reload", "-t", tiny.root().toString()); // logs lines it cannot write
            assertThat(reload.exitCode()).as(reload.toString()).isZero();
            assertThat(DaemonReaper.isRunning(pid)).isTrue();
            // the log cannot say it: the status does (the daemon looks every 10 s)
            await().atMost(Duration.ofSeconds(30)).until(() -> app.run(dir, "-s", "status", "-t", tiny.root().toString()).out()
                    .contains("WARNING: no space left on the device of " + tiny.root().resolve(".dab")));

            Files.delete(filler); // space returns
            await().atMost(Duration.ofSeconds(30)).until(() -> !app.run(dir, "-s", "status", "-t", tiny.root().toString()).out().contains("WARNING"));
            tiny.write("web/index.html", "after the disk was full\n");
            await().atMost(Duration.ofSeconds(60)).alias("a second build, logged once there is room again")
                    .until(() -> Files.readString(log).split("\\[web\\] built tiny-web:latest in", -1).length - 1 >= 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> DockerEngine.runIn("tiny-web:latest", "cat /app/index.html")
                    .equals("after the disk was full"));
            assertThat(DaemonReaper.isRunning(pid)).isTrue();
            assertThat(app.run(dir, "-s", "quit", "-t", tiny.root().toString()).exitCode()).isZero();
            DockerEngine.removeImagesOf(tiny.root());
        } finally {
            dev.autorebuild.support.Command.run(Duration.ofSeconds(30), "umount", "-l", small.toString());
        }
    }

    /** A small file system of its own, to fill up; needs root (CI runs as root), else the test cannot run. */
    private static void mountTmpfs(Path at, String size) throws Exception {
        dev.autorebuild.support.Command mount = dev.autorebuild.support.Command.run(Duration.ofSeconds(30),
                "mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString());
        String out = mount.output();
        if (mount.exitCode() != 0) {
            String why = "cannot mount a tmpfs to fill up (" + out.strip() + "); run as root";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    /** Writes until the file system refuses (ENOSPC). */
    private static void fillUp(Path filler) {
        byte[] block = new byte[64 * 1024];
        try (var out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            assertThat(full.getMessage()).contains("No space left on device");
        }
    }

    /**
     * Laptop sleep, NTP corrections, a user fixing the date: the wall clock jumps. The quiet period and the
     * automatic redeploy delay run on the monotonic clock, so a jump an hour forward does not fire a
     * redeploy early, and one two hours back does not hold a build. A small preloaded library
     * (src/test/native/wallclock-shift.c) moves the daemon's wall clock alone by the offset in a file the
     * test rewrites; the daemon's log timestamps prove each jump reached it.
     */
    @Test
    void wallClockJumps_forwardOrBack_neitherHurryNorHoldBuildsAndRedeploys() throws Exception {
        Path offset = dir.resolve("wall-clock-offset");
        Files.writeString(offset, "+0\n");
        ws.write("web/Dockerfile", TestWorkspace.HTTPD).write("dab.yml", "deployment:\n  auto: true\n  builds:\n    delay: 6s\n");
        ProcessBuilder start = app.builder(dir, "-t", ws.root().toString());
        start.environment().putAll(Map.of("LD_PRELOAD", WallClockShift.library(dir).toString(),
                "WALLCLOCK_OFFSET_FILE", offset.toString()));
        Process launcher = start.redirectOutput(dir.resolve("start.out").toFile()).redirectErrorStream(true).start();
        assertThat(launcher.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(launcher.exitValue()).as(Files.readString(dir.resolve("start.out"))).isZero();

        awaitLog("[web] built demo-web:latest", 1);
        long built = System.nanoTime();
        Files.writeString(offset, "+3600\n"); // an hour forward, just as the 6 s wait begins
        awaitLog("redeploy (automatic, deployment.auto)", 1);
        assertThat(Duration.ofNanos(System.nanoTime() - built)).as("the redeploy still waited its delay").isGreaterThan(Duration.ofSeconds(4));
        assertThat(loggedAt("redeploy (automatic, deployment.auto)", 0)).as("the daemon's clock went forward")
                .isAfter(LocalDateTime.now().plusMinutes(50));

        Files.writeString(offset, "-7200\n"); // two hours back
        awaitLog("[web] redeployed", 1);
        long saved = System.nanoTime();
        ws.write("web/index.html", "saved after the clock went back\n");
        awaitLog("[web] built demo-web:latest", 2);
        assertThat(Duration.ofNanos(System.nanoTime() - saved)).as("the quiet period was not stretched").isLessThan(Duration.ofSeconds(30));
        assertThat(loggedAt("[web] built demo-web:latest", 1)).as("the daemon's clock went back")
                .isBefore(LocalDateTime.now().minusMinutes(110));
        long rebuilt = System.nanoTime();
        awaitLog("redeploy (automatic, deployment.auto)", 2);
        assertThat(Duration.ofNanos(System.nanoTime() - rebuilt)).isGreaterThan(Duration.ofSeconds(4)).isLessThan(Duration.ofSeconds(30));
        awaitLog("[web] redeployed", 2);
    }

    /** The wall-clock time stamped on the n-th (from 0) log line containing the fragment. */
    private LocalDateTime loggedAt(String fragment, int n) throws IOException {
        String line = logText().lines().filter(l -> l.contains(fragment)).skip(n).findFirst().orElseThrow();
        return LocalDateTime.parse(line.substring(0, 23), DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS"));
    }
}
