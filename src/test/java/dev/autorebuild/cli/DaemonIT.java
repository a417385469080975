package dev.autorebuild.cli;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.autorebuild.core.Labels;
import dev.autorebuild.support.DaemonReaper;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;
import dev.autorebuild.support.TestWorkspace;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The background daemon as users run it: real processes, real signals, real files, the real engine. */
class DaemonIT extends DaemonProcessTest {
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
        assertThat(Files.readString(Path.of("/proc", Long.toString(pid), "environ")).split("\0"))
                .as("two malloc arenas, so its resident size does not creep").contains("MALLOC_ARENA_MAX=2");

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
        ws.write("slow/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN sleep 3 && echo slept > /app/slept" + TestWorkspace.uncached() + "\n");
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
        ws.write("slow/Dockerfile", "FROM busybox:stable\nCOPY . /app/\nRUN sleep 60" + TestWorkspace.uncached() + "\n");
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
    void afterKillMinus9_aNewStart_replacesTheStalePidFile_andRebuildsOnlyWhatChangedMeanwhile() throws Exception {
        ws.component("api");
        long first = pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built demo-web:latest", 1);
        awaitLog("[api] built demo-api:latest", 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(ws.root().resolve(".dab/built/web")));
        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        await().atMost(Duration.ofSeconds(20)).until(() -> !DaemonReaper.isRunning(first));
        assertThat(ws.root().resolve(".dab/auto-rebuild.pid")).as("SIGKILL leaves it behind").exists();
        ws.write("web/index.html", "changed while no daemon ran\n").write("web/new page.html", "added meanwhile\n");

        PackagedApp.Result status = app.run(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(status.exitCode()).as("no daemon runs").isEqualTo(3);
        assertThat(status.err()).contains("a stale PID file names pid " + first);

        PackagedApp.Result restart = app.run(dir, "-t", ws.root().toString());
        assertThat(restart.exitCode()).as(restart.toString()).isZero();
        long second = pidOf(restart);
        assertThat(Files.readString(ws.root().resolve(".dab/auto-rebuild.pid")).strip()).isEqualTo(Long.toString(second));
        assertThat(logText()).contains("replacing a stale PID file (pid " + first + " is gone)");

        awaitLog("[web] built demo-web:latest", 2);
        String secondRun = logText().substring(logText().indexOf("replacing a stale PID file"));
        assertThat(secondRun).contains("[web] changed while auto-rebuild was not running: web/index.html, web/new page.html",
                "[api] up to date (");
        assertThat(secondRun).doesNotContain("[api] changed while", "[api] building");
        assertThat(DockerEngine.runIn("demo-web:latest", "cat /app/index.html")).isEqualTo("changed while no daemon ran");
    }

    @Test
    void sighupToTheLaunchersProcessGroup_doesNotReachTheDaemon() throws Exception {
        // The launcher runs in a process group of its own (as under a terminal), which stays alive after it.
        // SIGHUP's default action is restored first: a runner under nohup would pass it on ignored, and a
        // shell cannot un-ignore a signal it was started with, so the group would never end.
        ProcessBuilder launcher = new ProcessBuilder("setsid", "env", "--default-signal=HUP", "sh", "-c",
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
    void reloadAndRedeploy_answerHowTheyWent_andTheirSignalsWorkToo() throws Exception {
        ws.httpComponent("web", "served");
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[web] built demo-web:latest", 1);

        PackagedApp.Result reload = app.run(ws.root(), "-s", "reload");
        assertThat(reload.exitCode()).as(reload.toString()).isZero();
        assertThat(reload.out()).contains("daemon " + pid + " reloaded (configuration: defaults)");
        assertThat(logText()).contains("reload requested (-s reload)", "rescanning web: reload requested");

        PackagedApp.Result redeploy = app.run(ws.root(), "-s", "redeploy");
        assertThat(redeploy.exitCode()).as(redeploy.toString()).isZero();
        assertThat(redeploy.out()).contains("auto-rebuild: redeployed web");
        assertThat(logText()).contains("redeploy (requested with -s redeploy): pending: web", "[web] redeployed: demo-web runs demo-web:latest");

        // plain kill works as the README says
        assertThat(dev.autorebuild.support.Command.run(Duration.ofSeconds(10), "kill", "-HUP", Long.toString(pid)).exitCode()).isZero();
        awaitLog("reload requested (SIGHUP)", 1);
        ws.write("web/index.html", "changed\n");
        awaitLog("[web] built demo-web:latest", 2);
        assertThat(dev.autorebuild.support.Command.run(Duration.ofSeconds(10), "kill", "-USR1", Long.toString(pid)).exitCode()).isZero();
        awaitLog("redeploy (SIGUSR1): redeployed web", 1);
        assertThat(logText()).contains("redeploy (SIGUSR1): pending: web");
    }

    @Test
    void theLaunchersStartPath_preparesClassDataArchivesOncePerBuildInTheBackground_andTheNextDaemonMapsItsArchive() throws Exception {
        Path app = PackagedApp.JAR.getParent();
        try (var old = Files.list(app)) {
            for (Path f : old.filter(f -> f.getFileName().toString().matches("(launcher|daemon)-\\d+\\.jsa|cds-\\d+\\.tried")).toList()) {
                Files.delete(f);
            }
        }
        // a first start that its daemon refuses (an engine setting that cannot be used) still prepares them: the
        // training runs on the default engine, whatever the start's own
        PackagedApp.Result first = this.app.runLauncherWith(java.util.Map.of("DOCKER_CONTEXT", "no-such-context"), dir, "-t", ws.root().toString());
        assertThat(first.exitCode()).as(first.toString()).isEqualTo(1);
        assertThat(first.err()).as("said once, and no CDS chatter")
                .startsWith("auto-rebuild: preparing faster starts in the background (once per build, a few seconds)\n"
                        + "auto-rebuild: the Docker context 'no-such-context' (DOCKER_CONTEXT) does not exist");
        String stamp = Long.toString(Files.getLastModifiedTime(PackagedApp.JAR).toMillis() / 1000);
        Path launcherArchive = app.resolve("launcher-" + stamp + ".jsa");
        Path daemonArchive = app.resolve("daemon-" + stamp + ".jsa");
        await().atMost(Duration.ofMinutes(2)).alias("the training in the background writes both archives")
                .until(() -> Files.isRegularFile(launcherArchive) && Files.isRegularFile(daemonArchive));
        try (var left = Files.list(app)) {
            assertThat(left.map(f -> f.getFileName().toString())).as("no half-written archive left").noneMatch(n -> n.endsWith(".tmp"));
        }
        PackagedApp.Result again = this.app.runLauncher(dir, "-t", ws.root().toString());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.err()).as("no second training").isEmpty();
        assertThat(Files.readString(Path.of("/proc", Long.toString(pidOf(again)), "cmdline")))
                .as("started by the script itself, from the options file the first start wrote").contains("--report-fd");
        assertThat(Files.readString(Path.of("/proc", Long.toString(pidOf(again)), "maps")))
                .as("the daemon maps the archive").contains(daemonArchive.toString());
        assertThat(logText()).doesNotContain("cds", "CDS", "shared archive");
    }

    @Test
    void theLaunchersClientPath_answersFromItsClassDataArchive_andLeavesAnyOtherFormToTheFullCommand() throws Exception {
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));

        PackagedApp.Result first = app.runLauncher(dir, "-s", "status", "-t", ws.root().toString());
        assertThat(first.exitCode()).as(first.toString()).isZero();
        assertThat(first.out()).startsWith("daemon " + pid + " watching " + ws.root());
        assertThat(first.err()).as("no log manager or CDS chatter").isEmpty();
        try (var files = Files.list(PackagedApp.JAR.getParent())) {
            assertThat(files.map(f -> f.getFileName().toString())).as("the archive its first run made").anyMatch(n -> n.matches("client-\\d+\\.jsa"));
        }
        PackagedApp.Result again = app.runLauncher(dir, "--signal=status", "--target=" + ws.root());
        assertThat(again.exitCode()).as(again.toString()).isZero();
        assertThat(again.out()).startsWith("daemon " + pid + " watching " + ws.root());
        assertThat(again.err()).isEmpty();

        PackagedApp.Result odd = app.runLauncher(dir, "-s", "status", "--frobnicate", "-t", ws.root().toString());
        assertThat(odd.exitCode()).as("picocli read it: " + odd).isEqualTo(2);
        assertThat(odd.err()).contains("Unknown option: '--frobnicate'");

        PackagedApp.Result quit = app.runLauncher(dir, "-s", "quit", "-t", ws.root().toString());
        assertThat(quit.exitCode()).as(quit.toString()).isZero();
        assertThat(quit.out()).contains("daemon " + pid + " has ended");
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
        PackagedApp.Result refused = app.run(dir, "-s", "reload", "-t", ws.root().toString());
        assertThat(refused.exitCode()).as(refused.toString()).isEqualTo(1);
        assertThat(refused.err()).contains("the configuration is invalid; the previous settings stay",
                config + ":5:3: unknown key 'paralelism' in build");
        Files.writeString(config, "blacklist: [\"web/*.tmp\"]\n");
        PackagedApp.Result reload = app.run(dir, "-s", "reload", "-t", ws.root().toString());
        assertThat(reload.exitCode()).as(reload.toString()).isZero();
        awaitLog("debounce.quiet-period: 100ms -> 50ms", 1);
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
        assertThat(wait).as("the redeploy waits the delay after the last build (never before it; the last second runs on a one-shot timer)")
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

    @Test
    void aRedeployRightAfterStart_waitsForTheFirstBuild_andDeploysWhatItProduced() throws Exception {
        int port = DockerEngine.freePort();
        ws.write("web/Dockerfile", "FROM busybox:stable\nCOPY . /www/\nRUN sleep 3" + TestWorkspace.uncached() + "\nCMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n")
                .write("web/index.html", "first build\n")
                .write("dab.yml", "components:\n  web: {run: {ports: [\"%d:80\"]}}\n".formatted(port));
        pidOf(app.run(dir, "-t", ws.root().toString()));
        // at once, as `auto-rebuild -t WS && auto-rebuild -s redeploy` does: the first build is still running
        Path out = dir.resolve("redeploy.out");
        Process redeploy = app.builder(dir, "-s", "redeploy", "-t", ws.root().toString())
                .redirectErrorStream(true).redirectOutput(out.toFile()).start();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                app.run(dir, "-s", "status", "-t", ws.root().toString()).out().contains("redeploy waiting for build: web"));
        assertThat(redeploy.waitFor(2, java.util.concurrent.TimeUnit.MINUTES)).isTrue();
        assertThat(Files.readString(out)).contains("auto-rebuild: redeployed web").doesNotContain("nothing was pending");
        assertThat(redeploy.exitValue()).isZero();
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("first build");
        assertThat(logText()).contains("waits for the build of web");
    }

    @Test
    void aComponentWhoseFolderHasASpace_isRedeployedByItsFolderName_orItsSanitisedName_fromTheCliAndTheApi() throws Exception {
        int port = DockerEngine.freePort();
        ws.httpComponent("Web UI", "v1").write("dab.yml", "components:\n  \"Web UI\": {run: {ports: [\"%d:80\"]}}\n".formatted(port));
        pidOf(app.run(dir, "-t", ws.root().toString()));
        awaitLog("[Web UI] built demo-web-ui:latest", 1);

        PackagedApp.Result byFolder = app.run(dir, "-s", "redeploy", "Web UI", "-t", ws.root().toString());
        assertThat(byFolder.exitCode()).as(byFolder.toString()).isZero();
        assertThat(byFolder.out()).contains("auto-rebuild: redeployed Web UI");
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("v1");

        ws.write("Web UI/index.html", "v2\n");
        awaitLog("[Web UI] built demo-web-ui:latest", 2);
        PackagedApp.Result bySanitised = app.run(dir, "-s", "redeploy", "web-ui", "-t", ws.root().toString());
        assertThat(bySanitised.exitCode()).as(bySanitised.toString()).isZero();
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("v2");

        ws.write("Web UI/index.html", "v3\n");
        awaitLog("[Web UI] built demo-web-ui:latest", 3);
        dev.autorebuild.support.Dashboard d = dev.autorebuild.support.Dashboard.of(ws.root());
        for (String name : List.of("Web UI", "web-ui")) {
            io.restassured.RestAssured.given().baseUri(d.base()).header("Authorization", "Bearer " + d.token())
                    .queryParam("component", name).post("/api/redeploy").then().statusCode(200);
        }
        assertThat(DockerEngine.httpGet(port, "/index.html")).contains("v3");
    }

    private static String lastLine(List<String> lines, String fragment) {
        return lines.stream().filter(l -> l.contains(fragment)).reduce((a, b) -> b).orElseThrow();
    }

    private static java.time.LocalDateTime timeOf(String logLine) {
        return java.time.LocalDateTime.parse(logLine.substring(0, 23).replace(' ', 'T'));
    }

    @Test
    void withoutTarget_theOnlyRunningDaemonIsFound_fromAnyFolder() throws Exception {
        long pid = pidOf(app.run(dir, "-t", ws.root().toString()));
        PackagedApp.Result status = app.run(dir.getRoot(), "-s", "status");
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).contains("daemon " + pid + " watching " + ws.root());
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
}
