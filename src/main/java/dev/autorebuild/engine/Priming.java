package dev.autorebuild.engine;

import dev.autorebuild.core.Labels;
import dev.autorebuild.core.RebuildEvent;
import dev.autorebuild.core.content.BuildSnapshot;
import dev.autorebuild.core.content.BuiltRecord;
import dev.autorebuild.core.ignore.TriggerFilter;
import dev.autorebuild.fs.BuiltRecords;
import dev.autorebuild.fs.ComponentScanner;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A component's first look (at the start, when it appears, when its recipe changes, when the engine
 * is back): hash its files and build it unless its image already holds exactly them.
 *
 * <p>Two records say what an image was built from. The image's digest label decides: the engine
 * commits it with the image, so it can never describe another image, and it survives a deleted
 * {@code .dab/}. The daemon's own record in {@code .dab/built/} (see {@link BuiltRecords}) holds every
 * file's digest too, so a start after the daemon was stopped or killed can say which files changed
 * meanwhile rather than only that something did.
 */
final class Priming {
    private final Path workspace;
    private final ComponentScanner scanner;
    private final Supplier<TriggerFilter> filter;
    private final ImageBuilder images;
    private final Builds builds;
    private final BuiltRecords records;
    private final Consumer<BuiltRecord> writeRecord;
    private final RebuildListener listener;
    private final Consumer<String> warn;

    Priming(Path workspace, ComponentScanner scanner, Supplier<TriggerFilter> filter, ImageBuilder images, Builds builds,
            BuiltRecords records, Consumer<BuiltRecord> writeRecord, RebuildListener listener, Consumer<String> warn) {
        this.workspace = workspace;
        this.scanner = scanner;
        this.filter = filter;
        this.images = images;
        this.builds = builds;
        this.records = records;
        this.writeRecord = writeRecord;
        this.listener = listener;
        this.warn = warn;
    }

    /** Hashing pool. {@code atStart}: the daemon has just started, so a difference happened while it was not running. */
    void prime(ComponentRuntime rt, boolean atStart) {
        String folder = rt.component.folder();
        try {
            rt.scanAll(scanner, workspace, filter.get(), warn);
            BuildSnapshot now = rt.content.snapshot();
            Optional<Map<String, String>> labels;
            try {
                labels = images.labelsOf(rt.component.image());
            } catch (EngineException e) {
                builds.request(rt); // cannot tell whether its image is current: the build path waits for the engine, then decides
                return;
            }
            boolean current = labels.isPresent()
                    && now.digest().equals(labels.get().get(Labels.DIGEST))
                    && workspace.toString().equals(labels.get().get(Labels.WORKSPACE));
            Optional<BuiltRecord> record = readRecord(folder);
            if (current) {
                rt.content.markBuilt(now);
                listener.on(new RebuildEvent.UpToDate(rt.component, now.digest(), now.files().size()));
                if (record.map(r -> !r.digest().equals(now.digest())).orElse(true)) {
                    writeRecord.accept(BuiltRecord.of(folder, now)); // built before records were kept, or the record was lost
                }
                return;
            }
            if (atStart && record.isPresent() && !record.get().digest().equals(now.digest())) {
                List<String> changed = record.get().changedPaths(now.files());
                if (!changed.isEmpty()) {
                    listener.on(new RebuildEvent.ChangedWhileStopped(rt.component, changed, changed.size()));
                }
            }
            builds.request(rt);
        } catch (IOException | RuntimeException e) {
            warn.accept("cannot hash " + folder + ": " + e);
        }
    }

    /** At start: temp files a crash left, and the records of components that are gone. */
    void removeStaleRecords(java.util.Set<String> components) {
        try {
            records.removeAllBut(components);
        } catch (IOException e) {
            warn.accept("cannot tidy " + records.dir() + ": " + e.getMessage());
        }
    }

    private Optional<BuiltRecord> readRecord(String folder) {
        try {
            return records.read(folder);
        } catch (IOException e) {
            warn.accept("ignoring " + records.fileOf(folder) + ": " + e.getMessage()
                    + " (builds are not affected: the image's label says what it holds; the record is rewritten after the next build)");
            return Optional.empty();
        }
    }
}
