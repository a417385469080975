package dev.autorebuild.watch;

import dev.autorebuild.core.FileEvent;
import io.methvin.watcher.DirectoryWatcher;
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

/** The walks directory-watcher makes through {@link FolderWalk}: real folders, real threads, real inotify. */
class FolderWalkTest {
    @TempDir
    Path root;

    @Test
    void whileRegistering_theFirstWalkIsHeld_andMadeWithTheNextOverTheSameTree_inOnePass() throws Exception {
        FolderTree fixture = FolderTree.write(root, 40);
        FolderWalk walk = new FolderWalk();
        walk.registeringOn(Thread.currentThread());
        List<String> calls = new CopyOnWriteArrayList<>();
        walk.recursiveVisitFiles(root, dir -> calls.add("set " + dir), file -> calls.add("set " + file));
        assertThat(calls).as("held: nothing walked yet").isEmpty();
        walk.recursiveVisitFiles(root, dir -> calls.add("watch " + dir), file -> calls.add("watch " + file));
        walk.registered(true);
        List<String> expected = new ArrayList<>();
        for (Path path : fixture.folders()) {
            expected.addAll(List.of("set " + path, "watch " + path));
        }
        for (Path path : fixture.files()) {
            expected.addAll(List.of("set " + path, "watch " + path));
        }
        assertThat(calls).containsExactlyInAnyOrderElementsOf(expected);
        for (Path folder : fixture.folders()) {
            assertThat(calls.indexOf("set " + folder)).as("the held walk's call first").isLessThan(calls.indexOf("watch " + folder));
        }
        assertThat(walk.treeWalks()).isEqualTo(1);
    }

    @Test
    void aHeldWalkWithoutPartner_isMadeWhenTheRegistrationSucceeds_andDroppedWhenItFailed() throws Exception {
        FolderTree fixture = FolderTree.write(root, 3);
        FolderWalk walk = new FolderWalk();
        walk.registeringOn(Thread.currentThread());
        List<Path> folders = new CopyOnWriteArrayList<>();
        walk.recursiveVisitFiles(root, folders::add, file -> { });
        walk.registered(true);
        assertThat(folders).containsExactlyInAnyOrderElementsOf(fixture.folders());

        FolderWalk failed = new FolderWalk();
        failed.registeringOn(Thread.currentThread());
        List<Path> none = new CopyOnWriteArrayList<>();
        failed.recursiveVisitFiles(root, none::add, file -> { });
        failed.registered(false);
        assertThat(none).isEmpty();
        assertThat(failed.treeWalks()).isZero();
    }

    @Test
    void fromAnyOtherThread_theWalkStaysOnTheCallingThread_inTheOrderOfTheDefaultWalk() throws Exception {
        FolderTree.write(root, 20);
        FolderWalk walk = new FolderWalk();
        walk.registeringOn(new Thread(() -> { }));
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        List<Path> order = new CopyOnWriteArrayList<>();
        walk.recursiveVisitFiles(root, dir -> {
            threads.add(Thread.currentThread());
            order.add(dir);
        }, file -> threads.add(Thread.currentThread()));
        assertThat(threads).containsExactly(Thread.currentThread());
        List<Path> byDefault = new ArrayList<>();
        new io.methvin.watcher.visitor.DefaultFileTreeVisitor().recursiveVisitFiles(root, byDefault::add, file -> { });
        assertThat(order).containsExactlyElementsOf(byDefault);
    }

    @Test
    void directoryWatcherAsShipped_letsItsRegistrationRunOnSeveralThreads() throws Exception {
        DirectoryWatcher watcher = DirectoryWatcher.builder().path(root).fileHashing(false).build();
        try {
            assertThat(FolderWalk.allowParallelRegistration(watcher))
                    .as("directory-watcher keeps its registrations as 0.19.1 does; after an upgrade, look again at FolderWalk")
                    .isTrue();
        } finally {
            watcher.close();
        }
    }

    @Test
    void aWatcherAsStarted_walksTheTreeOnce_seesAWriteInEveryFolder_andTellsADeletedFolderFromAFile() throws Exception {
        FolderTree fixture = FolderTree.write(root, 150);
        List<FileEvent> seen = new CopyOnWriteArrayList<>();
        ExecutorService loop = Executors.newSingleThreadExecutor();
        try (WorkspaceWatcher watcher = WorkspaceWatcher.start(root, seen::add, e -> { }, loop)) {
            assertThat(watcher.registrationWalks()).as("directory-watcher's two walks made as one").isEqualTo(1);
            List<Path> written = new ArrayList<>();
            for (Path folder : fixture.folders()) {
                written.add(Files.writeString(folder.resolve("new.txt"), "new"));
            }
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    assertThat(seen.stream().map(FileEvent::path).toList()).containsAll(written));
            // a folder that existed before the start, deleted: reported as a folder (the library's set of folders is whole)
            Path gone = root.resolve("a9/b");
            for (Path inside : List.of(gone.resolve("y.txt"), gone.resolve("new.txt"))) {
                Files.delete(inside);
            }
            Files.delete(gone);
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(seen)
                    .contains(new FileEvent(FileEvent.Kind.DELETED, gone, true)));
        } finally {
            loop.shutdownNow();
        }
    }
}
