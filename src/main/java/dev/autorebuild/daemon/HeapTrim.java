package dev.autorebuild.daemon;

import com.sun.management.HotSpotDiagnosticMXBean;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.Optional;

/**
 * Hands a burst's heap back to the system once the daemon is idle: one full collection with the heap's
 * free-space ratios tightened for it alone, then put back.
 * <p>
 * The serial collector sizes the heap after a full collection so that it keeps between
 * {@code MinHeapFreeRatio} and {@code MaxHeapFreeRatio} percent free, and sizes the young generation
 * from what the old one then holds. Loose ratios suit a burst (a heap kept tight collects often, and
 * made builds 10 % slower, bench/ scenario 7), tight ones suit an idle daemon: both flags are
 * manageable, so the trim tightens them for its one collection and restores what was set before
 * (the daemon's defaults, or a user's own in AUTO_REBUILD_DAEMON_JAVA_OPTS). Measured on 100,000
 * files after five builds: 219 MB resident after the collection with the loose ratios, 184 MB with
 * the tight ones (bench/ scenario 5).
 */
public final class HeapTrim {
    /** Free space the trimmed heap keeps, in percent of it: the next allocations find room without a collection. */
    static final String TIGHT_MIN = "5";
    static final String TIGHT_MAX = "10";

    /**
     * Heap a trim must be expected to hand back for its full collection (a tenth of a second of CPU,
     * once per burst) to be worth it.
     */
    static final long WORTH_BYTES = 8L << 20;
    /** The serial collector's default: the young generation is sized to the old one divided by this. */
    private static final int DEFAULT_NEW_RATIO = 2;

    private HeapTrim() {}

    /**
     * Whether to trim now: the heap grew by {@link #WORTH_BYTES} since {@code floor} (what the last trim
     * left, or the heap at the start), or a trim is estimated to hand back as much. The estimate alone
     * is not enough: it stands on what the last collections left, and a full collection in the middle of
     * a burst counts as live what the burst then dropped (100,000 files hashed without a build: 83 MB
     * committed around 36 MB live, estimated 46, never trimmed).
     */
    public static boolean worthIt(long floor) {
        return worthIt(committed(), floor, liveEstimate(), newRatio());
    }

    /**
     * @param committed the heap committed now
     * @param floor     the heap committed after the last trim, or at the start
     * @param live      an estimate of the live set
     * @param newRatio  the old generation's size over the young one's, as the collector sizes them
     */
    static boolean worthIt(long committed, long floor, long live, int newRatio) {
        return committed - floor >= WORTH_BYTES || committed - heapAfterTrim(live, newRatio) >= WORTH_BYTES;
    }

    /**
     * The committed heap a trim leaves around {@code live} bytes: the old generation holds them with 5-10 %
     * free, and the collector then sizes the young generation from the old one.
     */
    static long heapAfterTrim(long live, int newRatio) {
        double old = live / (1 - (Integer.parseInt(TIGHT_MIN) + Integer.parseInt(TIGHT_MAX)) / 200.0);
        return (long) (old + old / newRatio);
    }

    /**
     * What each generation held after its last collection; a pool never collected yet counts whole, so
     * an old generation that only ever grew is not mistaken for an empty one.
     */
    private static long liveEstimate() {
        long live = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            MemoryUsage afterCollection = pool.getCollectionUsage();
            if (pool.getType() == MemoryType.HEAP && afterCollection != null) {
                live += afterCollection.getUsed() > 0 || pool.getName().contains("Eden") ? afterCollection.getUsed() : pool.getUsage().getUsed();
            }
        }
        return live;
    }

    private static int newRatio() {
        try {
            HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
            return vm == null ? DEFAULT_NEW_RATIO : Math.max(1, Integer.parseInt(vm.getVMOption("NewRatio").getValue()));
        } catch (IllegalArgumentException | SecurityException e) {
            return DEFAULT_NEW_RATIO;
        }
    }

    /** The committed heap before and after a trim, in bytes. */
    public record Committed(long before, long after) {}

    /** Collects and shrinks the heap now. */
    public static Committed collectAndShrink() {
        long before = committed();
        Optional<HotSpotDiagnosticMXBean> vm = Optional.ofNullable(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
        Optional<String[]> saved = vm.flatMap(HeapTrim::tighten);
        try {
            System.gc(); // NOPMD: the point of the trim; it runs only while the daemon is idle
        } finally {
            saved.ifPresent(ratios -> restore(vm.get(), ratios));
        }
        return new Committed(before, committed());
    }

    /** The ratios before, once tightened; empty when this JVM does not let them change (another collector, say). */
    private static Optional<String[]> tighten(HotSpotDiagnosticMXBean vm) {
        String[] saved;
        try {
            saved = new String[] {vm.getVMOption("MinHeapFreeRatio").getValue(), vm.getVMOption("MaxHeapFreeRatio").getValue()};
        } catch (IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
        try {
            // the JVM checks min <= max at each change: lower the minimum first
            vm.setVMOption("MinHeapFreeRatio", TIGHT_MIN);
            vm.setVMOption("MaxHeapFreeRatio", TIGHT_MAX);
            return Optional.of(saved);
        } catch (IllegalArgumentException | SecurityException e) {
            restore(vm, saved); // half done is worse than not at all
            return Optional.empty();
        }
    }

    private static void restore(HotSpotDiagnosticMXBean vm, String[] saved) {
        try {
            // raise the maximum first, for the same check
            vm.setVMOption("MaxHeapFreeRatio", saved[1]);
            vm.setVMOption("MinHeapFreeRatio", saved[0]);
        } catch (IllegalArgumentException | SecurityException e) {
            // nothing better to do: the next collection sizes the heap by whatever ratios hold
        }
    }

    /** The heap committed now, in bytes. */
    public static long committed() {
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
    }
}
