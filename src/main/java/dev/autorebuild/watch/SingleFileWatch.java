package dev.autorebuild.watch;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;

/**
 * Watches one file through its folder (not recursively): a configuration given with {@code -c} outside
 * the workspace, git's index.lock. {@code onChange} runs on the watch thread whenever the file is
 * created, written or deleted (or events were lost): it must be quick.
 */
public final class SingleFileWatch implements AutoCloseable {
    private final WatchService service;

    private SingleFileWatch(WatchService service) {
        this.service = service;
    }

    public static SingleFileWatch start(Path file, Runnable onChange) throws IOException {
        Path folder = file.toAbsolutePath().getParent();
        String name = file.getFileName().toString();
        WatchService service = FileSystems.getDefault().newWatchService();
        folder.register(service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        Thread thread = dev.autorebuild.core.Threads.daemon("dab-watch-" + name).newThread(() -> {
            try {
                while (true) {
                    WatchKey key = service.take();
                    boolean ours = false;
                    for (WatchEvent<?> event : key.pollEvents()) {
                        ours |= event.kind() == StandardWatchEventKinds.OVERFLOW || name.equals(String.valueOf(event.context()));
                    }
                    key.reset();
                    if (ours) {
                        onChange.run();
                    }
                }
            } catch (InterruptedException | ClosedWatchServiceException e) {
                // closed
            }
        });
        thread.start();
        return new SingleFileWatch(service);
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
