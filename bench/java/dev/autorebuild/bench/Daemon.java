package dev.autorebuild.bench;

import dev.autorebuild.support.Dashboard;
import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.PackagedApp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The packaged application's background daemon on a workspace, as users start it (bin/auto-rebuild -t DIR). */
final class Daemon implements AutoCloseable {
    private static final Pattern STARTED = Pattern.compile("daemon (\\d+) is watching");

    final Path workspace;
    final PackagedApp app;
    final long pid;
    /** Wall time of the start command: JVM, runtime, configuration, every folder watched. */
    final double startSeconds;

    private Daemon(Path workspace, PackagedApp app, long pid, double startSeconds) {
        this.workspace = workspace;
        this.app = app;
        this.pid = pid;
        this.startSeconds = startSeconds;
    }

    static Daemon start(Path workspace) throws IOException, InterruptedException {
        return start(workspace, java.util.Map.of());
    }

    /** @param env added to the launcher's environment (and so its daemon's): DOCKER_HOST for another engine */
    static Daemon start(Path workspace, java.util.Map<String, String> env) throws IOException, InterruptedException {
        PackagedApp app = new PackagedApp(Files.createDirectories(workspace.resolveSibling(workspace.getFileName() + "-runtime")));
        prepareClassData(app);
        long started = System.nanoTime();
        PackagedApp.Result result = app.runLauncherWith(env, workspace.getParent(), "-t", workspace.toString());
        double seconds = (System.nanoTime() - started) / 1e9;
        Matcher m = STARTED.matcher(result.out());
        if (result.exitCode() != 0 || !m.find()) {
            throw new IllegalStateException("the daemon did not start: " + result);
        }
        return new Daemon(workspace, app, Long.parseLong(m.group(1)), seconds);
    }

    /**
     * bin/auto-rebuild makes its class-data archives in the background after the first start of a build
     * (about 8 s, once), and that first start writes the daemon's options file from which later starts run
     * the daemon without a launcher JVM: done here untimed, on an empty scratch workspace, and waited for,
     * so every timed start is one a user sees every day.
     */
    private static void prepareClassData(PackagedApp app) throws IOException, InterruptedException {
        Path jar = PackagedApp.JAR;
        long stamp = Files.getLastModifiedTime(jar).toMillis() / 1000;
        if (Files.exists(jar.resolveSibling("launcher-" + stamp + ".jsa")) || Files.exists(jar.resolveSibling("cds-" + stamp + ".tried"))) {
            return;
        }
        Path scratch = Files.createTempDirectory("bench-cds");
        try {
            app.runLauncher(scratch, "-t", scratch.toString());
            app.runLauncher(scratch, "-s", "quit", "-t", scratch.toString());
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofMinutes(2)).alias("the class-data archives of bin/auto-rebuild")
                    .until(() -> Files.exists(jar.resolveSibling("launcher-" + stamp + ".jsa")));
        } finally {
            Machine.deleteTree(scratch); // the daemon has quit: its log and pid file go with the folder
        }
    }

    Dashboard dashboard() throws IOException {
        return Dashboard.of(workspace);
    }

    String log() throws IOException {
        return Files.readString(workspace.resolve(".dab/auto-rebuild.log"));
    }

    /** The daemon's heap in use, in MB, from its own metrics. */
    double heapMb() throws IOException, InterruptedException {
        Dashboard d = dashboard();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(d.base() + "/q/metrics"))
                .header("Authorization", "Bearer " + d.token()).build();
        String metrics = java.net.http.HttpClient.newHttpClient().send(request, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        double bytes = 0;
        for (String line : metrics.split("\n")) {
            if (line.startsWith("jvm_memory_used_bytes{area=\"heap\"")) {
                bytes += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return bytes / (1024 * 1024);
    }

    /** Stops the daemon (the client returns once it is gone), leaving its images and containers. */
    void stop() throws IOException, InterruptedException {
        app.run(workspace.getParent(), "-s", "stop", "-t", workspace.toString());
    }

    @Override
    public void close() throws IOException, InterruptedException {
        stop();
        DockerEngine.removeContainersOf(workspace);
        DockerEngine.removeImagesOf(workspace);
    }
}
