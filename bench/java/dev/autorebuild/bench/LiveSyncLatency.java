package dev.autorebuild.bench;

import dev.autorebuild.support.DockerEngine;
import dev.autorebuild.support.TestWorkspace;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Issue 15's targets for live sync, through the packaged daemon on a Compose project, in one run: a save
 * under a {@code sync} rule until the running busybox httpd serves it, against the same kind of save in a
 * service without rules (build and automatic redeploy, delay 0), rounds alternating; then 1,000
 * byte-identical saves in the synced folder (copies expected: none), and a real {@code git checkout}
 * of 5,000 files inside it, and back (one batch each way; every file right in the container, deleted files gone).
 */
final class LiveSyncLatency implements Bench.Scenario {
    private static final int QUIET_MS = 50; // the default

    @Override
    public String title() {
        return "save -> served by the running container: live sync against rebuild + redeploy";
    }

    @Override
    public List<Result> run(Bench.Context context) throws Exception {
        TestWorkspace ws = new TestWorkspace(context.workspace("syncshop"));
        int syncedPort = DockerEngine.freePort();
        int rebuiltPort = DockerEngine.freePort();
        ws.write("synced/Dockerfile", "FROM busybox:stable\nCOPY public/ /www/\nCMD [\"httpd\", \"-f\", \"-p\", \"80\", \"-h\", \"/www\"]\n")
                .write("synced/public/index.html", "first\n")
                .httpComponent("rebuilt", "first")
                .write("dab.yml", "deployment:\n  auto: true\n  builds:\n    delay: 0\n")
                .write("compose.yaml", "services:\n  synced:\n    build: ./synced\n    ports: [\"" + syncedPort + ":80\"]\n"
                        + "    develop:\n      watch:\n        - path: ./synced/public\n          action: sync\n          target: /www\n"
                        + "  rebuilt:\n    build: ./rebuilt\n    ports: [\"" + rebuiltPort + ":80\"]\n");
        ws.write(".gitignore", ".dab/\n"); // the daemon's own state is never checked out from under it
        git(ws.root(), "init", "-q", "-b", "base");
        git(ws.root(), "add", "-A");
        git(ws.root(), "commit", "-q", "-m", "base");
        List<Double> synced = new ArrayList<>();
        List<Double> rebuilt = new ArrayList<>();
        List<Result> results = new ArrayList<>();
        try (Daemon daemon = Daemon.start(ws.root())) {
            SaveToContainerAnswering.awaitFirstAnswer(daemon, syncedPort);
            SaveToContainerAnswering.awaitFirstAnswer(daemon, rebuiltPort);
            for (int i = 0; i < context.size(30, 2); i++) {
                String salt = i + " " + System.nanoTime();
                if (i % 2 == 0) {
                    synced.add(round(ws, "synced/public/index.html", syncedPort, "sync " + salt));
                    rebuilt.add(round(ws, "rebuilt/index.html", rebuiltPort, "rebuild " + salt));
                } else {
                    rebuilt.add(round(ws, "rebuilt/index.html", rebuiltPort, "rebuild " + salt));
                    synced.add(round(ws, "synced/public/index.html", syncedPort, "sync " + salt));
                }
            }
            Stats s = Stats.of(synced);
            Stats r = Stats.of(rebuilt);
            results.add(new Result("15 sync", "save -> served, sync rule (quiet period " + QUIET_MS + " ms)", s.ms(),
                    "p50 <= " + (QUIET_MS + 100) + " ms, p99 <= " + (QUIET_MS + 250) + " ms", s.median() <= QUIET_MS + 100 && s.p99() <= QUIET_MS + 250));
            results.add(Result.info("15 sync", "save -> served, the same change rebuilt and redeployed (auto, delay 0), same run",
                    r.ms() + String.format(Locale.ROOT, "; sync is %.1fx faster at the median", r.median() / s.median())));
            results.add(noOpSaves(ws, daemon, syncedPort, context.size(1000, 20)));
            results.add(branchSwitch(ws, daemon, context.size(5000, 50)));
        }
        return results;
    }

    private static double round(TestWorkspace ws, String file, int port, String page) throws Exception {
        ws.write(file, page + "\n");
        long saved = System.nanoTime();
        SaveToContainerAnswering.awaitAnswer(port, page);
        return (System.nanoTime() - saved) / 1e6;
    }

    private static Result noOpSaves(TestWorkspace ws, Daemon daemon, int port, int saves) throws Exception {
        String page = "steady " + System.nanoTime();
        int first = SaveToContainerAnswering.count(daemon.log(), "[synced] synced (");
        round(ws, "synced/public/index.html", port, page);
        awaitLogCount(daemon, "[synced] synced (", first + 1); // served before its line is logged: count from after that line
        int before = SaveToContainerAnswering.count(daemon.log(), "[synced] synced (");
        for (int i = 0; i < saves; i++) {
            ws.write("synced/public/index.html", page + "\n");
        }
        round(ws, "synced/public/index.html", port, "after the no-ops " + System.nanoTime()); // the marker: synced after every no-op
        awaitLogCount(daemon, "[synced] synced (", before + 1); // the page can be served a moment before the line is written
        int copies = SaveToContainerAnswering.count(daemon.log(), "[synced] synced (") - before - 1;
        return new Result("15 sync", saves + " byte-identical saves in a synced path", copies + " copies", "0 copies", copies == 0);
    }

    /**
     * A real {@code git checkout} between a branch that adds {@code files} files under the synced folder and
     * one without them: git holds its index lock while it writes, and the sync waits for it as builds do.
     */
    private static Result branchSwitch(TestWorkspace ws, Daemon daemon, int files) throws Exception {
        Path root = ws.root();
        git(root, "checkout", "-q", "-b", "many");
        for (int i = 0; i < files; i++) {
            Path f = root.resolve("synced/public/branch/d" + (i % 50)).resolve("f" + i + ".txt");
            Files.createDirectories(f.getParent());
            Files.writeString(f, "file " + i + "\n");
        }
        git(root, "add", "-A");
        git(root, "commit", "-q", "-m", "many files");
        git(root, "checkout", "-q", "base");
        String container = "syncshop-synced-1";
        awaitCount(container, 0);
        int before = SaveToContainerAnswering.count(daemon.log(), "[synced] synced (");
        long started = System.nanoTime();
        git(root, "checkout", "-q", "many");
        awaitCount(container, files);
        double ms = (System.nanoTime() - started) / 1e6;
        awaitLogCount(daemon, "[synced] synced (", before + 1);
        int batches = SaveToContainerAnswering.count(daemon.log(), "[synced] synced (") - before;
        String sample = DockerEngine.cli("exec", container, "cat", "/www/branch/d1/f1.txt");
        git(root, "checkout", "-q", "base");
        awaitCount(container, 0);
        awaitLogCount(daemon, "[synced] synced (", before + batches + 1);
        int deleteBatches = SaveToContainerAnswering.count(daemon.log(), "[synced] synced (") - before - batches;
        String lines = daemon.log().lines().filter(l -> l.contains("[synced] synced (") || l.contains("builds held") || l.contains("builds resume"))
                .skip(Math.max(0, daemon.log().lines().filter(l -> l.contains("[synced] synced (") || l.contains("builds held")
                        || l.contains("builds resume")).count() - 6)).map(l -> l.substring(11)).collect(java.util.stream.Collectors.joining(" | "));
        System.out.println("  the daemon's log: " + lines);
        boolean right = sample.equals("file 1");
        return new Result("15 sync", "git checkout adding " + files + " files in a synced path, then back",
                String.format(Locale.ROOT, "%d batch(es) for the %d files, all in the container %.0f ms after the checkout began; back: %d batch(es), "
                        + "every file gone; contents right: %s", batches, files, ms, deleteBatches, right ? "yes" : "NO"),
                "one batch; every file right; deleted gone", batches == 1 && deleteBatches == 1 && right);
    }

    private static void git(Path root, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("git", "-c", "user.email=bench@localhost", "-c", "user.name=bench"));
        command.addAll(List.of(args));
        dev.autorebuild.support.Command done = dev.autorebuild.support.Command.run(java.time.Duration.ofMinutes(2), command, root);
        if (done.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command) + ": " + done.output() + done.errors());
        }
    }

    private static void awaitCount(String container, int expected) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(2).toNanos();
        while (true) {
            String n = DockerEngine.cli("exec", container, "sh", "-c", "find /www/branch -type f 2>/dev/null | wc -l").strip();
            if (n.equals(Integer.toString(expected))) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the container holds " + n + " files under /www/branch, not " + expected);
            }
            TimedEvents.pause();
        }
    }

    private static void awaitLogCount(Daemon daemon, String fragment, int atLeast) throws Exception {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
        while (SaveToContainerAnswering.count(daemon.log(), fragment) < atLeast) {
            if (System.nanoTime() > deadline) {
                List<String> lines = daemon.log().lines().filter(l -> !l.contains("  #")).toList();
                throw new IllegalStateException("the daemon's log never held " + atLeast + " lines with '" + fragment + "'; its last lines:\n"
                        + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size())));
            }
            TimedEvents.pause();
        }
    }
}
