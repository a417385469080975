package dev.autorebuild.web;

import dev.autorebuild.core.metrics.PrometheusText;
import dev.autorebuild.core.metrics.PrometheusText.Type;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.ToLongFunction;

/**
 * The JVM's and the process's own metrics, read from the JVM's management beans at each scrape. The
 * names are those micrometer gave them (a dashboard built on them keeps working), plus what a daemon
 * left running for days is judged by: its resident memory ({@code process_resident_memory_bytes}) and
 * CPU time ({@code process_cpu_seconds_total}), named as Prometheus's own clients name them.
 */
final class JvmMetrics {
    private static final Path STATUS = Path.of("/proc/self/status");
    private static final List<String> AREA_ID = List.of("area", "id");
    private static final List<String> ID = List.of("id");
    private static final List<String> GC = List.of("gc");

    private JvmMetrics() {}

    static void writeTo(PrometheusText out) {
        memoryPools(out);
        bufferPools(out);
        garbageCollectors(out);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        gauge(out, "jvm_threads_live_threads", "live threads, daemon threads included", threads.getThreadCount());
        gauge(out, "jvm_threads_daemon_threads", "live daemon threads", threads.getDaemonThreadCount());
        gauge(out, "jvm_threads_peak_threads", "the most live threads at once since the start", threads.getPeakThreadCount());
        gauge(out, "jvm_classes_loaded_classes", "classes loaded now", ManagementFactory.getClassLoadingMXBean().getLoadedClassCount());
        process(out);
    }

    private static void memoryPools(PrometheusText out) {
        List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans();
        memory(out, pools, "jvm_memory_used_bytes", "memory in use, per pool", MemoryUsage::getUsed);
        memory(out, pools, "jvm_memory_committed_bytes", "memory the JVM has committed, per pool", MemoryUsage::getCommitted);
        memory(out, pools, "jvm_memory_max_bytes", "the most memory a pool may grow to (-1: no limit)", MemoryUsage::getMax);
    }

    private static void memory(PrometheusText out, List<MemoryPoolMXBean> pools, String name, String help, ToLongFunction<MemoryUsage> figure) {
        out.family(name, Type.GAUGE, help);
        for (MemoryPoolMXBean pool : pools) {
            String area = pool.getType() == MemoryType.HEAP ? "heap" : "nonheap";
            out.sample(name, AREA_ID, List.of(area, pool.getName()), figure.applyAsLong(pool.getUsage()));
        }
    }

    private static void bufferPools(PrometheusText out) {
        List<BufferPoolMXBean> pools = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class);
        out.family("jvm_buffer_count_buffers", Type.GAUGE, "buffers in the pool (direct, mapped)");
        pools.forEach(p -> out.sample("jvm_buffer_count_buffers", ID, List.of(p.getName()), p.getCount()));
        out.family("jvm_buffer_memory_used_bytes", Type.GAUGE, "memory the pool's buffers use");
        pools.forEach(p -> out.sample("jvm_buffer_memory_used_bytes", ID, List.of(p.getName()), p.getMemoryUsed()));
        out.family("jvm_buffer_total_capacity_bytes", Type.GAUGE, "the pool's buffers' total capacity");
        pools.forEach(p -> out.sample("jvm_buffer_total_capacity_bytes", ID, List.of(p.getName()), p.getTotalCapacity()));
    }

    private static void garbageCollectors(PrometheusText out) {
        List<GarbageCollectorMXBean> collectors = ManagementFactory.getGarbageCollectorMXBeans();
        out.family("jvm_gc_collection_seconds", Type.SUMMARY, "collections per collector, and the time they took");
        for (GarbageCollectorMXBean gc : collectors) {
            List<String> name = List.of(gc.getName());
            out.sample("jvm_gc_collection_seconds_count", GC, name, Math.max(0, gc.getCollectionCount()));
            out.sample("jvm_gc_collection_seconds_sum", GC, name, Math.max(0, gc.getCollectionTime()) / 1e3);
        }
    }

    private static void process(PrometheusText out) {
        var runtime = ManagementFactory.getRuntimeMXBean();
        gauge(out, "process_start_time_seconds", "when the process started, in seconds since the epoch", runtime.getStartTime() / 1e3);
        gauge(out, "process_uptime_seconds", "how long the process has run", runtime.getUptime() / 1e3);
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long cpu = os.getProcessCpuTime();
            if (cpu >= 0) {
                out.family("process_cpu_seconds_total", Type.COUNTER, "CPU time the process has used, user and system")
                        .sample("process_cpu_seconds_total", cpu / 1e9);
            }
        }
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
            gauge(out, "process_files_open_files", "file descriptors open", unix.getOpenFileDescriptorCount());
            gauge(out, "process_files_max_files", "the most file descriptors the process may open", unix.getMaxFileDescriptorCount());
        }
        residentBytes().ifPresent(rss -> gauge(out, "process_resident_memory_bytes", "memory resident in RAM (VmRSS)", rss));
        var system = ManagementFactory.getOperatingSystemMXBean();
        gauge(out, "system_cpu_count", "processors available to the JVM", system.getAvailableProcessors());
        double load = system.getSystemLoadAverage();
        if (load >= 0) {
            gauge(out, "system_load_average_1m", "the system's load average over the last minute", load);
        }
    }

    /** VmRSS from /proc/self/status; empty where there is none (not Linux). */
    static OptionalLong residentBytes() {
        try {
            for (String line : Files.readAllLines(STATUS)) {
                if (line.startsWith("VmRSS:")) {
                    String[] parts = line.substring("VmRSS:".length()).trim().split("\\s+");
                    return OptionalLong.of(Long.parseLong(parts[0]) * 1024); // the kernel writes it in kB
                }
            }
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty(); // a metric less, never a failed scrape
        }
        return OptionalLong.empty();
    }

    private static void gauge(PrometheusText out, String name, String help, double value) {
        out.family(name, Type.GAUGE, help).sample(name, value);
    }
}
