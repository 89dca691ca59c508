package dev.kumo.node.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The machine's CPU and memory from {@code /proc} (what the kubelet reads from the root cgroup through cadvisor;
 * {@code /proc} reads the same on cgroup v1 and v2 and inside a container): CPU time of {@code /proc/stat} (user,
 * nice, system, irq, softirq, steal — not idle or iowait — in USER_HZ ticks, which Linux fixes at 100 a second),
 * memory of {@code /proc/meminfo} (used = total − free, the working set = used − inactive file pages, rss = anonymous
 * pages, available = total − working set) and page faults of {@code /proc/vmstat}. Every agent of one machine reports
 * the same machine.
 */
public final class HostUsage {
    /** Linux reports CPU times in USER_HZ, 100 on every architecture (the ABI fixes it). */
    static final long NANOS_PER_TICK = 10_000_000L;

    private final Path proc;

    public HostUsage(Path proc) {
        this.proc = proc;
    }

    public static HostUsage system() {
        return new HostUsage(Path.of("/proc"));
    }

    /** When the machine booted ({@code btime}): where its cumulative counters start. */
    public Instant bootTime() throws IOException {
        for (String line : Files.readAllLines(proc.resolve("stat"))) {
            if (line.startsWith("btime ")) {
                return Instant.ofEpochSecond(Long.parseLong(line.substring(6).strip()));
            }
        }
        throw new IOException(proc.resolve("stat") + " has no btime line");
    }

    public CpuStats cpu(Instant now) throws IOException {
        return cpu(Files.readString(proc.resolve("stat")), now);
    }

    public MemoryStats memory(Instant now) throws IOException {
        return memory(Files.readString(proc.resolve("meminfo")), Files.readString(proc.resolve("vmstat")), now);
    }

    static CpuStats cpu(String stat, Instant now) {
        for (String line : stat.split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] ticks = line.substring(4).strip().split("\\s+");
                // user nice system idle iowait irq softirq steal (guest time is counted in user already)
                long busy = 0;
                for (int i : new int[] {0, 1, 2, 5, 6, 7}) {
                    busy += i < ticks.length ? Long.parseLong(ticks[i]) : 0;
                }
                return CpuStats.cumulative(now, busy * NANOS_PER_TICK);
            }
        }
        throw new IllegalArgumentException("no cpu line in /proc/stat");
    }

    static MemoryStats memory(String meminfo, String vmstat, Instant now) {
        Map<String, Long> kib = new HashMap<>();
        for (String line : meminfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                String[] value = line.substring(colon + 1).strip().split("\\s+");
                kib.put(line.substring(0, colon), Long.parseLong(value[0]));
            }
        }
        Map<String, Long> counters = new HashMap<>();
        for (String line : vmstat.split("\n")) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length == 2) {
                counters.put(parts[0], Long.parseLong(parts[1]));
            }
        }
        long total = bytes(kib, "MemTotal");
        long used = total - bytes(kib, "MemFree");
        return MemoryStats.of(now, used, bytes(kib, "Inactive(file)"), total, bytes(kib, "AnonPages"),
                counters.get("pgfault"), counters.get("pgmajfault"));
    }

    private static long bytes(Map<String, Long> kib, String field) {
        Long value = kib.get(field);
        if (value == null) {
            throw new IllegalArgumentException("/proc/meminfo has no " + field);
        }
        return value * 1024;
    }
}
