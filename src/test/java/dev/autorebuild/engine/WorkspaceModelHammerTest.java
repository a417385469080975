package dev.autorebuild.engine;

import dev.autorebuild.config.FileConfigSource;
import dev.autorebuild.fs.BuiltRecords;
import dev.autorebuild.fs.ComponentScanner;
import dev.autorebuild.fs.FileHasher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The workspace model under concurrent change: components added and removed from several threads
 * while others re-read the ignore rules. Whatever the interleaving, the end state is the one the last
 * operations ask for, and the filter that routes changes knows exactly the components the model holds
 * (a filter computed before an add and published after it would drop that component's changes).
 */
class WorkspaceModelHammerTest {
    private static final int FOLDERS = 24;
    private static final int ROUNDS = 20;
    /** A lost filter shows only when a stale reload publishes last: each trial is a fresh chance to catch it. */
    private static final int TRIALS = 8;
    private static final int CHANGERS = 4;

    @TempDir
    Path workspace;

    @Test
    void addsRemovesAndRuleReloadsAtOnce_endInTheStateTheLastChangesAskFor_withAFilterThatKnowsEveryComponent() throws Exception {
        for (int i = 0; i < FOLDERS; i++) {
            Files.createDirectories(workspace.resolve("c" + i));
            Files.writeString(workspace.resolve("c" + i + "/Dockerfile"), "FROM busybox:stable\n");
            Files.writeString(workspace.resolve("c" + i + "/.dockerignore"), "*.md\n"); // rules to read, per component
        }
        for (int trial = 0; trial < TRIALS; trial++) {
            hammer(trial);
        }
    }

    private void hammer(int trial) throws Exception {
        WorkspaceModel model = newModel();
        model.load();
        ExecutorService threads = Executors.newFixedThreadPool(CHANGERS + 2);
        CountDownLatch go = new CountDownLatch(1);
        List<CompletableFuture<Void>> work = new ArrayList<>();
        // each changer owns the folders i % CHANGERS == its number: removes and adds them, round after round,
        // ending with even folders added and odd ones removed
        for (int changer = 0; changer < CHANGERS; changer++) {
            int mine = changer;
            work.add(CompletableFuture.runAsync(() -> {
                await(go);
                for (int round = 0; round < ROUNDS; round++) {
                    for (int i = mine; i < FOLDERS; i += CHANGERS) {
                        String folder = "c" + i;
                        ComponentRuntime rt = model.components().get(folder);
                        boolean last = round == ROUNDS - 1;
                        unchecked(() -> {
                            if (rt != null) {
                                model.removeComponent(rt, "hammer");
                            }
                            if (!last || Integer.parseInt(folder.substring(1)) % 2 == 0) {
                                model.addComponent(folder);
                            }
                        });
                    }
                }
            }, threads));
        }
        CompletableFuture<Void> changers = CompletableFuture.allOf(work.toArray(CompletableFuture[]::new));
        for (int reloader = 0; reloader < 2; reloader++) {
            work.add(CompletableFuture.runAsync(() -> {
                await(go);
                while (!changers.isDone()) { // to the very end: a reload that read the components before the last change must not win
                    unchecked(model::reloadRules);

                }
            }, threads));
        }
        go.countDown();
        CompletableFuture.allOf(work.toArray(CompletableFuture[]::new)).get(2, TimeUnit.MINUTES);
        threads.shutdownNow();

        Set<String> expected = new TreeSet<>();
        for (int i = 0; i < FOLDERS; i += 2) {
            expected.add("c" + i); // written out: even folders were added last, odd ones removed
        }
        assertThat(new TreeSet<>(model.components().keySet())).as("the components, trial " + trial).isEqualTo(expected);
        Set<String> routed = new TreeSet<>();
        for (int i = 0; i < FOLDERS; i++) {
            routed.addAll(model.filter().componentsCovering("c" + i + "/index.html"));
        }
        assertThat(routed).as("the components a change is routed to, trial " + trial).isEqualTo(expected);
    }

    private WorkspaceModel newModel() {
        AtomicReference<WorkspaceModel> self = new AtomicReference<>();
        Consumer<String> warn = message -> { };
        RebuildListener quiet = event -> { };
        FakeImages images = FakeImages.none(); // every component looks unbuilt, and its builds are held
        Builds builds = new Builds(workspace, images, quiet, () -> self.get().filter(), () -> self.get().config(), problem -> { }, record -> { });
        builds.hold("the test builds nothing"); // requested builds wait: the model is under test, not the builds
        ComponentScanner scanner = new ComponentScanner(new FileHasher());
        Priming priming = new Priming(workspace, scanner, () -> self.get().filter(), images, builds,
                new BuiltRecords(workspace.resolve(".dab")), record -> { }, quiet, warn);
        WorkspaceModel model = new WorkspaceModel(workspace, new FileConfigSource(workspace, Optional.empty(), FileConfigSource.Overrides.NONE),
                quiet, scanner, builds, priming, new PipelineCounters(), warn);
        self.set(model);
        return model;
    }

    private static void await(CountDownLatch go) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    interface Change {
        void run() throws Exception;
    }

    private static void unchecked(Change change) {
        try {
            change.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
