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
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The idle trim in a real JVM with the daemon's collector and ratios: after a burst that leaves a live
 * set behind, it must hand back more heap than a plain full collection does, and leave the ratios as
 * they were, since the next burst should grow the heap as loosely as before.
 */
class HeapTrimTest {
    private static final List<String> DAEMON_HEAP = List.of("-XX:+UseSerialGC", "-Xms8m", "-Xmx512m",
            "-XX:MinHeapFreeRatio=20", "-XX:MaxHeapFreeRatio=40", "-XX:-ShrinkHeapInSteps");

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
