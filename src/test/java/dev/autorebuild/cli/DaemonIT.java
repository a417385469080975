package dev.autorebuild.cli;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.autorebuild.core.Labels;
import dev.autorebuild.daemon.DaemonRegistry;
import dev.autorebuild.support.DaemonReaper;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The background daemon as users run it: real processes, real signals, real files, the real engine. */
class DaemonIT {
    private static final Pattern STARTED = Pattern.compile("daemon (\\d+) is watching");

    @TempDir
    static Path runtimeDir;
    @TempDir
    Path dir;

    private final PackagedApp app = new PackagedApp(runtimeDir);
    @RegisterExtension
    final DaemonReaper reaper = new DaemonReaper(app);
    private TestWorkspace ws;

    @BeforeEach
    void workspace() throws IOException {
        DockerEngine.client();
        ws = new TestWorkspace(Files.createDirectories(dir.resolve("demo")));
        ws.component("web");
    }

    @AfterEach
    void removeImages() {
        DockerEngine.removeContainersOf(ws.root());
        DockerEngine.removeImagesOf(ws.root());
    }

    @Test
    void start_detachesIntoItsOwnSession_withPidFileAndLog_andRebuildsWhileDetached() throws Exception {
        PackagedApp.Result start = app.run(dir, "-t", ws.root().toString());
        assertThat(start.exitCode()).as(start.toString()).isZero();
        long pid = pidOf(start);
        assertThat(start.out()).contains("log:     " + log());

        Path pidFile = ws.root().resolve(".dab/auto-rebuild.pid");
        assertThat(Files.readString(pidFile).strip()).isEqualTo(Long.toString(pid));
        assertThat(mode(pidFile)).isEqualTo("rw-r--r--");
        assertThat(mode(log())).isEqualTo("rw-r-----");
        assertThat(DaemonReaper.isRunning(pid)).isTrue();
        assertThat(sessionOf(pid)).as("its own session").isEqualTo(pid).isNotEqualTo(sessionOf(ProcessHandle.current().pid()));
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "cwd", ".dab", "auto-rebuild.pid")))
                .as("its work dir is the workspace").isEqualTo(pid + "\n");

        awaitLog("[web] built demo-web:latest", 1);
        ws.write("web/index.html", "saved while detached\n");
        awaitLog("[web] built demo-web:latest", 2);
        assertThat(DockerEngine.runIn("demo-web:latest", "cat /app/index.html")).isEqualTo("saved while detached");
        assertThat(logText()).containsPattern("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[web\\] building demo-web:latest");

        PackagedApp.Result status = app.run(ws.root().resolve("web"), "-s", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("daemon " + pid + " watching " + ws.root(), "log: " + log())
                .containsPattern("web +idle +demo-web:latest +sha256:[0-9a-f]{12}")
                .containsPattern("build: +ok, \\d{4}-")
                .contains("container: demo-web, no container, redeploy PENDING", "pending redeploy: web (auto-rebuild -s redeploy)");
    }

    @Test
    void aSecondStart_isRefused_namingTheDaemonThatServesTheWorkspace() throws Exception {
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        PackagedApp.Result second = app.run(dir, "-t", ws.root().toString());
        assertThat(second.exitCode()).isEqualTo(1);
        assertThat(second.err()).contains(ws.root() + " is already watched by daemon " + pid, "auto-rebuild -s quit -t " + ws.root());
        assertThat(DaemonReaper.isRunning(pid)).isTrue();
    }

    @Test
    void quit_letsTheBuildInProgressFinish_thenExits_andRemovesThePidFile() throws Exception {
        ws.write("slow/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN sleep 3 && echo slept > /app/slept\n");
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("RUN sleep 3", 1);

        PackagedApp.Result quit = app.run(dir, "-s", "quit", "-t", ws.root().toString());

        assertThat(quit.exitCode()).as(quit.toString()).isZero();
        assertThat(quit.out()).contains("daemon " + pid + " has ended");
        assertThat(DaemonReaper.isRunning(pid)).isFalse();
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).doesNotExist();
        String log = logText();
        assertThat(log).contains("quit (SIGTERM): no longer watching " + ws.root() + "; letting the build of slow finish");
        assertThat(log.indexOf("[slow] built demo-slow:latest")).as("built before the end").isPositive()
                .isLessThan(log.indexOf("daemon " + pid + " ended"));
        assertThat(DockerEngine.client().inspectImageCmd("demo-slow:latest").exec().getConfig().getLabels())
                .containsEntry(Labels.DIGEST, ws.expectedDigest("slow"));
    }

    @Test
    void stop_cancelsTheBuildInProgress_andExitsAtOnce() throws Exception {
        ws.write("slow/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN sleep 60\n");
        // Started as a background job of a script would start it: with SIGINT ignored, which the JVM
        // would silently keep. The launcher must give the daemon its signals back.
        ProcessBuilder launcher = app.builder(dir, "-t", ws.root().toString());
        launcher.command().addAll(0, List.of("sh", "-c", "trap '' INT; exec \"$@\"", "sh"));
        Path out = dir.resolve("launcher.out");
        assertThat(launcher.redirectErrorStream(true).redirectOutput(out.toFile()).start().waitFor()).isZero();
        long pid = pidOf(new PackagedApp.Result(0, Files.readString(out), ""));
        awaitLog("RUN sleep 60", 1);

        PackagedApp.Result stop = app.run(dir, "-s", "stop", "-t", ws.root().toString());

        assertThat(stop.exitCode()).as(stop.toString()).isZero();
        assertThat(DaemonReaper.isRunning(pid)).isFalse();
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).doesNotExist();
        assertThat(logText()).contains("stop (SIGINT): no longer watching " + ws.root() + "; cancelling the build of slow");
        assertThatThrownBy(() -> DockerEngine.client().inspectImageCmd("demo-slow:latest").exec())
                .as("the 60 s build never completed").isInstanceOf(NotFoundException.class);
        await().atMost(Duration.ofSeconds(20)).alias("the engine cancels the build: its RUN container goes away")
                .until(() -> DockerEngine.client().listContainersCmd().exec().stream()
                        .noneMatch(c -> c.getCommand() != null && c.getCommand().contains("sleep 60")));
    }

    @Test
    void afterKillMinus9_aNewStart_replacesTheStalePidFile() throws Exception {
        long first = pidOf(app.run(dir, "-t", ws.root().toString()));
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> !DaemonReaper.isRunning(first));
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).as("SIGKILL leaves it behind").exists();

        PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.exitCode()).as("no daemon runs").isEqualTo(3);
        assertThat(status.err()).contains("a stale PID file names pid " + first);

        PackagedApp.Result restart = app.run(dir, "-t", ws.root().toString());
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        long second = pidOf(restart);
        assertThat(Files.readString(ws.root().resolve(".dab/auto-rebuild.pid")).strip()).isEqualTo(Long.toString(second));
        assertThat(logText()).contains("replacing a stale PID file (pid " + first + " is gone)");
    }

    @Test
    void sighupToTheLaunchersProcessGroup_doesNotReachTheDaemon() throws Exception {
        // The launcher runs in a process group of its own (as under a terminal), which stays alive after it.
        ProcessBuilder launcher = new ProcessBuilder("setsid", "sh", "-c",
                "java -jar '" + PackagedApp.JAR + "' -t '" + ws.root() + "' && exec sleep 120")
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("launcher.out").toFile());
        launcher.environment().put("XDG_RUNTIME_DIR", app.runtimeDir().toString());
        Process group = launcher.start();
        reaper.track(group.pid());
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.readString(dir.resolve("launcher.out")).contains("is watching"));
        long pid = Long.parseLong(Files.readString(ws.root().resolve(".dab/auto-rebuild.pid")).strip());

        assertThat(new ProcessBuilder("kill", "-HUP", "--", "-" + group.pid()).start().waitFor()).isZero();
        await().atMost(Duration.ofSeconds(20)).until(() -> !group.isAlive());

        assertThat(DaemonReaper.isRunning(pid)).isTrue();
        assertThat(logText()).doesNotContain("SIGHUP");
        PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.exitCode()).as(status.toString()).isZero();
    }

    @Test
    void reloadAndRedeploy_areSignals_thatTheDaemonAcknowledges() throws Exception {
        ws.httpComponent("web", "served");
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built demo-web:latest", 1);

        PackagedApp.Result reload = app.run(ws.root(), "-s", "reload");
        assertThat(reload.exitCode()).as(reload.toString()).isZero();
        assertThat(reload.out()).contains("daemon " + pid + " did the reload");
        assertThat(logText()).contains("reload requested (SIGHUP)", "rescanning web: reload requested");

        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
        assertThat(redeploy.out()).contains("auto-rebuild: redeployed web");
        assertThat(logText()).contains("redeploy (SIGUSR1): pending: web", "[web] redeployed: demo-web runs demo-web:latest");
    }

    @Test
    void aConfigurationOutsideTheWorkspace_isWatched_andAnInvalidEditKeepsTheLastGoodOne() throws Exception {
        Path config = Files.createDirectories(dir.resolve("settings")).resolve("shop.yml");
        Files.writeString(config, "debounce:\n  quiet-period: 100ms\n");
        long pid = pidOf(app.run(dir, "-t", ws.root().toString(), "-c", config.toString()));
        awaitLog("configuration: " + config, 1);

        Files.writeString(config, "debounce:\n  quiet-period: 100ms\nblacklist: [\"web/*.tmp\"]\n");
        awaitLog("configuration reloaded from " + config + ": blacklist: (unset) -> [web/*.tmp]", 1);

        Files.writeString(config, "debounce:\n  quiet-period: 100ms\nblacklist: [\"web/*.tmp\"]\nbuild:\n  paralelism: 4\n");
        awaitLog(config + ":5:3: unknown key 'paralelism' in build; did you mean 'parallelism'?", 1);
        assertThat(logText()).contains("configuration NOT reloaded, the previous one stays in force");

        PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.out()).contains("daemon " + pid, "configuration: " + config + "\n");
        Files.writeString(config, "blacklist: [\"web/*.tmp\"]\n");
        PackagedApp.Result reload = app.run(dir, "-s", "reload", "-t", ws.root().toString());
        assertThat(reload.exitCode()).as(reload.toString()).isZero();
        awaitLog("debounce.quiet-period: 100ms -> 200ms", 1);
    }

    @Test
    void autoRedeploy_waitsForTheDelayAfterTheLastBuild_thenServesTheNewPage() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("web", "v1").write("dab.yml", """
                deployment: {auto: true, builds: {delay: 2s}}
                components:
                  web: {run: {ports: ["%d:80"], readiness: {http: /index.html}}}
                """.formatted(port));
        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] redeployed: demo-web runs demo-web:latest", 1);
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("v1");

        ws.write("web/index.html", "v2\n");
        awaitLog("[web] built demo-web:latest", 2);
        ws.write("web/index.html", "v3\n"); // a second change while the first one's delay runs
        awaitLog("[web] built demo-web:latest", 3);
        awaitLog("[web] redeployed: demo-web runs demo-web:latest", 2);

        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("v3");
        List<String> lines = logText().lines().toList();
        assertThat(lines.stream().filter(l -> l.contains("[web] redeployed:"))).as("one redeploy for both changes").hasSize(2);
        Duration wait = Duration.between(timeOf(lastLine(lines, "[web] built demo-web:latest")), timeOf(lastLine(lines, "[web] redeployed:")));
        assertThat(wait).as("the redeploy waits the delay after the last build (the scheduler ticks once a second)")
                .isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));
    }

    @Test
    void aRestartedDaemon_adoptsItsContainers_andRedeploysByName() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("web", "v1").write("dab.yml", "components:\n  web: {run: {ports: [\"%d:80\"]}}\n".formatted(port));
        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built demo-web:latest", 1);
        PackagedApp.Result named = app.run(dir, "-s", "redeploy", "web", "-t", ws.root().toString());
        assertThat(named.exitCode()).as(named.toString()).isZero();
        assertThat(named.out()).contains("auto-rebuild: redeployed web");
        String container = DockerEngine.client().inspectContainerCmd("demo-web").exec().getId();
        assertThat(app.run(dir, "-s", "quit", "-t", ws.root().toString()).exitCode()).isZero();
        assertThat(DockerEngine.httpGet(port, "/index.html")).as("containers outlive the daemon").contains("v1");

        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] up to date", 1);
        PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.out()).contains("container: demo-web, running " + container.substring(0, 12) + "\n", "pending redeploy: none");
        PackagedApp.Result again = app.run(dir, "-s", "redeploy", "-t", ws.root().toString());
        assertThat(again.out()).contains("nothing was pending");
        assertThat(DockerEngine.client().listContainersCmd().withShowAll(true)
                .withLabelFilter(java.util.Map.of(Labels.WORKSPACE, ws.root().toString())).exec())
                .extracting(c -> c.getId()).containsExactly(container);
        PackagedApp.Result unknown = app.run(dir, "-s", "redeploy", "nope", "-t", ws.root().toString());
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("no component 'nope'; the components are web");
    }

    private static String lastLine(List<String> lines, String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).reduce((a, b) -> b).orElseThrow();
    }

    private static java.time.LocalDateTime timeOf(String logLine) {
        return java.time.LocalDateTime.parse(logLine.substring(0, 23).replace(' ', 'T'));
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
            assertThat(app.run(dir, "-s", "status", "-t", tiny.root().toString()).exitCode()).isZero();

            Files.delete(filler); // space returns
            tiny.write("web/index.html", "after the disk was full\n");
            await().atMost(Duration.ofSeconds(60)).alias("a second build, logged once there is room again")
                    .until(() -> Files.readString(log).split("\\[web\\] built tiny-web:latest in", -1).length - 1 >= 2);
            await().atMost(Duration.ofSeconds(60)).until(() -> DockerEngine.runIn("tiny-web:latest", "cat /app/index.html")
                    .equals("after the disk was full"));
            assertThat(DaemonReaper.isRunning(pid)).isTrue();
            assertThat(app.run(dir, "-s", "quit", "-t", tiny.root().toString()).exitCode()).isZero();
            DockerEngine.removeImagesOf(tiny.root());
        } finally {
            new ProcessBuilder("umount", "-l", small.toString()).start().waitFor();
        }
    }

    /** A small file system of its own, to fill up; needs root (CI runs as root), else the test cannot run. */
    private static void mountTmpfs(Path at, String size) throws Exception {
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", at.toString())
                .redirectErrorStream(true).start();
        String out = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (mount.waitFor() != 0) {
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

    @Test
    void withoutTarget_theOnlyRunningDaemonIsFound_fromAnyFolder() throws Exception {
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        PackagedApp.Result status = app.run(dir.getRoot(), "-s", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("daemon " + pid + " watching " + ws.root());
    }

    @Test
    void aDaemonThatFailsToStart_isReported_withItsErrorAndTheTailOfItsLog() throws Exception {
        ProcessBuilder start = app.builder(dir, "-t", ws.root().toString());
        start.environment().put("DOCKER_HOST", "nonsense://nowhere");
        Path out = dir.resolve("start.out");
        Path err = dir.resolve("start.err");
        assertThat(start.redirectOutput(out.toFile()).redirectError(err.toFile()).start().waitFor()).isEqualTo(1);

        assertThat(Files.readString(err)).contains("the daemon exited with status 1 while starting",
                "last lines of " + log() + ":",
                "cannot set up the Docker client: Unsupported protocol scheme: nonsense://nowhere (DOCKER_HOST=nonsense://nowhere");
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).as("cleaned up").doesNotExist();
        assertThat(new DaemonRegistry(app.runtimeDir().resolve("auto-rebuild")).running()).isEmpty();
    }

    @Test
    void aCommandWithNoDaemonRunning_exitsThree() throws Exception {
        PackagedApp.Result quit = app.run(dir, "-s", "quit", "-t", ws.root().toString());
        assertThat(quit.exitCode()).isEqualTo(3);
        assertThat(quit.err()).contains("no daemon is running for " + ws.root(), "auto-rebuild -t " + ws.root());
        PackagedApp.Result anywhere = app.run(dir, "-s", "status");
        assertThat(anywhere.exitCode()).isEqualTo(3);
        assertThat(anywhere.err()).contains("no auto-rebuild daemon is running for this user");
    }

    // ---- helpers ----

    private static long pidOf(PackagedApp.Result start) {
        Matcher m = STARTED.matcher(start.out());
        assertThat(m.find()).as("the start reports the daemon's pid: %s", start).isTrue();
        return Long.parseLong(m.group(1));
    }

    private Path log() {
        return ws.root().resolve(".dab/auto-rebuild.log");
    }

    private String logText() throws IOException {
        return Files.readString(log());
    }

    private void awaitLog(String fragment, int times) {
        await().atMost(Duration.ofSeconds(60)).alias(times + " line(s) containing '" + fragment + "' in the log")
                .until(() -> logText().split(Pattern.quote(fragment), -1).length - 1 >= times);
    }

    private static String mode(Path file) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    }

    private static long sessionOf(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(fields[3]);
    }
}
