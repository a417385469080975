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
 * Watches one file outside the workspace (a configuration given with {@code -c}) through its folder,
 * so that saving it reloads the configuration like saving the workspace's dab.yml does.
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
        Thread thread = new Thread(() -> {
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
        }, "dab-config-watch");
        thread.setDaemon(true);
        thread.start();
        return new SingleFileWatch(service);
    }

    @Override
    public void close() throws IOException {
        service.close();
    }
}
