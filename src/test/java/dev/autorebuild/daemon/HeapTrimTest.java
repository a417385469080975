package dev.autorebuild.daemon;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle trim in a real JVM with the daemon's collector and ratios: after a burst that leaves a live
 * set behind, it must hand back more heap than a plain full collection does, and leave the ratios as
 * they were, since the next burst should grow the heap as loosely as before.
 */
class HeapTrimTest {
    private static final List<String> DAEMON_HEAP = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx512m",
            "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:-ShrinkHeapInSteps", "-XX:NewRatio=4");

    @Test
    void theTrimHandsBackMoreThanAPlainCollectionAndRestoresTheRatios() throws Exception {
        String[] plain = child("plain").split(" ");
        String[] trimmed = child("trim").split(" ");
        long plainAfter = Long.parseLong(plain[0]);
        long trimmedAfter = Long.parseLong(trimmed[0]);
        // the live set is 40 MB: loose ratios keep up to 40 % of the old generation free, tight ones 10 %
        assertTrue(trimmedAfter < plainAfter * 0.85, "trimmed " + (trimmedAfter >> 20) + " MB, plain collection " + (plainAfter >> 20) + " MB");
        assertTrue(trimmedAfter > 40L << 20, "the live set stays: " + (trimmedAfter >> 20) + " MB");
        assertEquals("20 40", trimmed[1] + " " + trimmed[2], "the ratios after the trim");
    }

    @Test
    void aTrimIsWorthItWhenTheHeapGrewOrWouldShrinkByEightMegabytes() {
        // 36 MB live: the old generation keeps it with 5-10 % free (36 / 0.925 = 38.9 MB) and the young one
        // is half of that (19.5 MB): 58.4 MB after a trim
        long live = 36L << 20;
        assertEquals(58.4, HeapTrim.heapAfterTrim(live, 2) / (double) (1 << 20), 0.1);
        long highFloor = 70L << 20; // a floor as high as the heap: only the estimate speaks
        assertTrue(HeapTrim.worthIt(70L << 20, highFloor, live, 2), "70 MB committed around 36 MB live (100,000 files hashed, bench/ scenario 5)");
        assertFalse(HeapTrim.worthIt(66L << 20, highFloor, live, 2), "7.6 MB to gain is not worth a full collection");
        // a smaller young generation (NewRatio=4: 9.7 MB) leaves more to gain from the same heap
        assertTrue(HeapTrim.worthIt(58L << 20, highFloor, live, 4));
        // the estimate says 46 MB live (a collection in the middle of the burst): 83 MB committed would give
        // back 8.4 MB, 82 MB not; the growth since the last trim (58 MB) says trim
        assertFalse(HeapTrim.worthIt(82L << 20, highFloor * 2, 46L << 20, 2));
        assertTrue(HeapTrim.worthIt(82L << 20, 58L << 20, 46L << 20, 2));
        // a daemon watching, barely grown since its start (29 MB around 17 MB after its last collections; 24 MB at the start)
        assertFalse(HeapTrim.worthIt(29L << 20, 24L << 20, 17L << 20, 2));
        assertTrue(HeapTrim.worthIt(32L << 20, 24L << 20, 17L << 20, 2), "grew by 8 MB");
    }

    @Test
    void aBurstTheLastCollectionsCountedAsLiveIsStillWorthATrim() throws Exception {
        // the child's own collector and pools: before the burst nothing to gain; after it, although the
        // only full collection saw the whole burst live, the heap grew far past its start
        assertEquals("false true", child("worth"));
    }

    private static String child(String mode) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(DAEMON_HEAP);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Burst.class.getName(), mode));
        // output to a file, read once the child ended: a child that hangs fails the test at the timeout, never hangs it
        Path output = Files.createTempFile("heap-trim", ".out");
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean ended = process.waitFor(60, TimeUnit.SECONDS);
            if (!ended) {
                process.destroyForcibly();
            }
            String out = Files.readString(output, StandardCharsets.UTF_8).trim();
            assertTrue(ended, "the child JVM ended: " + out);
            assertEquals(0, process.exitValue(), out);
            return out;
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** A burst (200 MB allocated, 40 MB of it kept), then a plain full collection or the trim; prints the committed heap and the ratios. */
    public static final class Burst {
        public static void main(String[] args) {
            if (args[0].equals("worth")) {
                long floor = HeapTrim.committed();
                boolean before = HeapTrim.worthIt(floor);
                List<byte[]> more = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    more.add(new byte[1 << 20]);
                }
                System.gc(); // a full collection in the middle of the burst: all of it still live
                more.clear();
                System.out.println(before + " " + HeapTrim.worthIt(floor));
                return;
            }
            List<byte[]> kept = new ArrayList<>();
            List<byte[]> burst = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                byte[] block = new byte[1 << 20];
                block[i] = 1;
                (i % 5 == 0 ? kept : burst).add(block);
            }
            burst.clear();
            long after;
            if (args[0].equals("trim")) {
                after = HeapTrim.collectAndShrink().after();
            } else {
                System.gc();
                after = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
            }
            var vm = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            System.out.println(after + " " + vm.getVMOption("MinHeapFreeRatio").getValue() + " " + vm.getVMOption("MaxHeapFreeRatio").getValue()
                    + " " + kept.size());
        }
    }
}
