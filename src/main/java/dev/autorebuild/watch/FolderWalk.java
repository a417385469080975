package dev.autorebuild.watch;

import io.methvin.watcher.DirectoryWatcher;
import io.methvin.watcher.visitor.DefaultFileTreeVisitor;
import io.methvin.watcher.visitor.FileTreeVisitor;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Path;
import java.util.Collections;
import java.util.HashMap;

/**
 * How directory-watcher walks a tree: as its default visitor does, except while a watcher registers a
 * workspace, when the walks run on several threads ({@link ParallelFolderWalk}) and its two walks over
 * the tree become one.
 * <p>
 * Why, measured on 10,000 folders / 100,000 files (2 cores): directory-watcher 0.19.1 first walks the
 * tree for its set of folders (how it tells a deleted folder from a file), then walks it again to
 * register each folder, a round trip to the JDK's one inotify poller thread per folder. One thread at a
 * time, that took 1.4-2.0 s in a fresh JVM; on four threads (the poller serves every request waiting when it
 * wakes) 1.2-1.6 s; with the first walk held and made with the second, 0.9-1.0 s.
 * <p>
 * After the registration, walks stay on the caller's thread: when a folder is created while watching,
 * the library walks it to report what is already inside, and those events must come in order, from the
 * watch thread. {@code FolderWalkTest} pins what this relies on in directory-watcher, so an upgrade that
 * changes it fails a test instead of slowing or breaking the start.
 */
final class FolderWalk implements FileTreeVisitor {
    private static final FileTreeVisitor ONE_THREAD = new DefaultFileTreeVisitor();

    private volatile Thread registeringThread;
    private Held held; // touched by the registering thread only
    private int treeWalks; // for tests: the walks made while registering

    /** A walk asked for while registering, made together with the next one over the same tree. */
    private record Held(Path start, Callback onDirectory, Callback onFile) {
    }

    /**
     * Lets {@code watcher} register from several threads: directory-watcher 0.19.1 keeps which root each
     * folder was registered under in a plain {@code HashMap}, its only bookkeeping on that path that is
     * not concurrent. It becomes a synchronized map with the same entries. False (walks then stay on one
     * thread) when a later version keeps it otherwise.
     */
    static boolean allowParallelRegistration(DirectoryWatcher watcher) {
        try {
            Field field = DirectoryWatcher.class.getDeclaredField("registeredPathToRootPath");
            field.setAccessible(true);
            if (!(field.get(watcher) instanceof HashMap<?, ?> plain)) {
                return false;
            }
            field.set(watcher, Collections.synchronizedMap(new HashMap<>(plain)));
            return true;
        } catch (ReflectiveOperationException | RuntimeException notAsExpected) {
            return false;
        }
    }

    /** Walks asked for from {@code thread} (the one registering) run in parallel, until {@link #registered}. */
    void registeringOn(Thread thread) {
        registeringThread = thread;
    }

    /**
     * The registration is over; later walks stay on their caller's thread. When it succeeded, a walk still
     * held (a directory-watcher that no longer walks twice) is made now.
     */
    void registered(boolean succeeded) throws IOException {
        Held alone = held;
        held = null;
        registeringThread = null;
        if (succeeded && alone != null) {
            walk(alone.start, alone.onDirectory, alone.onFile);
        }
    }

    int treeWalks() {
        return treeWalks;
    }

    @Override
    public void recursiveVisitFiles(Path start, Callback onDirectory, Callback onFile) throws IOException {
        if (Thread.currentThread() != registeringThread) {
            ONE_THREAD.recursiveVisitFiles(start, onDirectory, onFile);
            return;
        }
        if (held == null) {
            held = new Held(start, onDirectory, onFile);
            return;
        }
        Held first = held;
        held = null;
        if (!first.start.equals(start)) {
            walk(first.start, first.onDirectory, first.onFile);
            walk(start, onDirectory, onFile);
            return;
        }
        walk(start, dir -> {
            first.onDirectory.call(dir); // the library's set of folders, then the folder's watch
            onDirectory.call(dir);
        }, file -> {
            first.onFile.call(file);
            onFile.call(file);
        });
    }

    private void walk(Path start, Callback onDirectory, Callback onFile) throws IOException {
        treeWalks++;
        new ParallelFolderWalk(onDirectory, onFile).run(start);
    }
}
