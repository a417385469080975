package dev.autorebuild.support;

import dev.autorebuild.core.config.DabConfig;
import dev.autorebuild.core.content.ComponentContent;
import dev.autorebuild.core.ignore.DockerignoreMatcher;
import dev.autorebuild.docker.BuildContextTar;
import dev.autorebuild.fs.ComponentScanner;
import dev.autorebuild.fs.FileHasher;
import dev.autorebuild.fs.IgnoreLoader;
import dev.autorebuild.watch.WorkspaceWatcher;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Run as another user by {@code UnreadableFolderIT} (root reads everything, so the test needs a user the
 * kernel refuses): watches, hashes and tars a workspace holding a folder that user cannot read, and
 * prints what each stage did, one fact per line.
 */
public final class UnreadableFolderProbe {
    private UnreadableFolderProbe() {}

    public static void main(String[] args) throws Exception {
        Path ws = Path.of(args[0]);
        var thread = Executors.newSingleThreadExecutor();
        CountDownLatch seen = new CountDownLatch(1);
        try (var watcher = WorkspaceWatcher.start(ws, e -> {
            if (e.path() != null && e.path().endsWith("late.txt")) {
                seen.countDown();
            }
        }, e -> System.out.println("watcher error: " + e), thread)) {
            System.out.println("watching");
            Files.writeString(ws.resolve("web/src/late.txt"), "written after the start\n");
            System.out.println(seen.await(10, TimeUnit.SECONDS) ? "saw late.txt" : "missed late.txt");
        }
        ComponentContent content = new ComponentContent("probe");
        new ComponentScanner(new FileHasher()).scanAll(ws, "web", IgnoreLoader.load(ws, List.of("web"), DabConfig.DEFAULTS), content,
                warning -> System.out.println("warning: " + warning));
        System.out.println("hashed: " + content.snapshot().files().paths());
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        BuildContextTar.write(ws.resolve("web"), DockerignoreMatcher.NONE, tar);
        List<String> sent = new ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar.toByteArray()))) {
            for (var entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                sent.add(entry.getName());
            }
        }
        System.out.println("sent: " + sent);
        thread.shutdownNow();
    }
}
