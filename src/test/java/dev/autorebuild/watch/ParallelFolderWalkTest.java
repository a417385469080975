package dev.autorebuild.watch;

import dev.autorebuild.core.FileEvent;
import io.methvin.watcher.visitor.FileTreeVisitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** One walk on several threads: real folders, real threads. */
class ParallelFolderWalkTest {
    @TempDir
    Path root;

    @Test
    void everyFolderAndFileIsReportedOnce_eachFolderBeforeWhatIsInIt() throws Exception {
        FolderTree fixture = FolderTree.write(root, 60);
        List<Path> order = new CopyOnWriteArrayList<>();
        Map<Path, Integer> reported = new ConcurrentHashMap<>();
        walk(dir -> {
            order.add(dir);
            reported.merge(dir, 1, Integer::sum);
        }, file -> {
            order.add(file);
            reported.merge(file, 1, Integer::sum);
        });
        List<Path> expected = new ArrayList<>(fixture.folders());
        expected.addAll(fixture.files());
        assertThat(reported.keySet()).containsExactlyInAnyOrderElementsOf(expected);
        assertThat(reported.values()).as("each reported once").containsOnly(1);
        for (Path path : expected) {
            if (!path.equals(root)) {
                assertThat(order.indexOf(path.getParent())).as(path + " after its folder").isLessThan(order.indexOf(path));
            }
        }
    }

    @Test
    void aLinkToAFolder_isReportedAsAFile_andNotWalked() throws Exception {
        Path target = Files.createDirectories(root.resolve("real/inner"));
        Files.writeString(target.resolve("z.txt"), "z");
        Path link = Files.createSymbolicLink(root.resolve("real/link"), target);
        Set<Path> folders = ConcurrentHashMap.newKeySet();
        Set<Path> files = ConcurrentHashMap.newKeySet();
        walk(folders::add, files::add);
        assertThat(folders).containsExactlyInAnyOrder(root, root.resolve("real"), target);
        assertThat(files).containsExactlyInAnyOrder(link, target.resolve("z.txt"));
    }

    @Test
    void aSubfolderMadeWhileItsFolderIsReported_isWalkedToo() throws Exception {
        // made after the folder's watch would be registered, before its entries are read: the walk must
        // find it (a count read before it was made would have stopped looking for subfolders)
        Path folder = Files.createDirectories(root.resolve("f"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(folder.resolve("file" + i), "x");
        }
        Path late = folder.resolve("late");
        Set<Path> folders = ConcurrentHashMap.newKeySet();
        Set<Path> files = ConcurrentHashMap.newKeySet();
        walk(dir -> {
            folders.add(dir);
            if (dir.equals(folder)) {
                Files.createDirectories(late.resolve("deeper"));
            }
        }, files::add);
        assertThat(folders).containsExactlyInAnyOrder(root, folder, late, late.resolve("deeper"));
        assertThat(files).hasSize(50).doesNotContain(late);
    }

    @Test
    void foldersAreReportedFromSeveralThreadsAtOnce() throws Exception {
        FolderTree.write(root, 2);
        // a0 and a1 are each held until the other is being reported too: one thread alone would time out
        CountDownLatch both = new CountDownLatch(2);
        Set<String> threads = ConcurrentHashMap.newKeySet();
        AtomicInteger metAtOnce = new AtomicInteger();
        walk(dir -> {
            if (dir.getFileName().toString().startsWith("a")) {
                threads.add(Thread.currentThread().getName());
                both.countDown();
                try {
                    if (both.await(10, TimeUnit.SECONDS)) {
                        metAtOnce.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }, file -> { });
        assertThat(metAtOnce).as("a0 and a1 were being reported at the same time").hasValue(2);
        assertThat(threads).hasSize(2).allMatch(name -> name.startsWith("dab-register-"));
    }

    @Test
    void aFailureToReportAFolder_isTheWalksFailure_andTheWalkReturnsOnlyOnceNoFolderIsBeingReported() throws Exception {
        FolderTree.write(root, 200);
        IOException limit = new IOException("User limit of inotify watches reached");
        CountDownLatch a3Reporting = new CountDownLatch(1);
        CountDownLatch a7Failed = new CountDownLatch(1);
        AtomicBoolean returned = new AtomicBoolean();
        AtomicBoolean a3SawTheReturn = new AtomicBoolean();
        AtomicBoolean a3Reported = new AtomicBoolean();
        assertThatThrownBy(() -> {
            try {
                walk(dir -> {
                    String name = dir.getFileName().toString();
                    if (name.equals("a3")) {
                        a3Reported.set(true);
                        a3Reporting.countDown();
                        await().atMost(Duration.ofSeconds(10)).until(() -> a7Failed.getCount() == 0);
                        // still reporting a3 after a7 failed: the walk must not return under it (checked for 1 s)
                        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                        while (System.nanoTime() < until && !a3SawTheReturn.get()) {
                            a3SawTheReturn.set(returned.get());
                            Thread.onSpinWait();
                        }
                    } else if (name.equals("a7")) {
                        await().atMost(Duration.ofSeconds(10)).until(() -> a3Reporting.getCount() == 0);
                        a7Failed.countDown();
                        throw limit;
                    }
                }, file -> { });
            } finally {
                returned.set(true);
            }
        }).isSameAs(limit);
        assertThat(a3Reported).as("a3 was being reported when a7 failed").isTrue();
        assertThat(a3SawTheReturn).as("the walk returned while a3 was still being reported").isFalse();
    }

    private void walk(FileTreeVisitor.Callback onDirectory, FileTreeVisitor.Callback onFile) throws IOException {
        new ParallelFolderWalk(onDirectory, onFile).run(root);
    }
}
