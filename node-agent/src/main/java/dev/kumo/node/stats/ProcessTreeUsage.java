package dev.kumo.node.stats;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * CPU and memory of a process and its descendants from {@code /proc/<pid>/stat} and {@code /status}, for a runtime
 * whose containers are plain processes without a cgroup of their own. What it can measure: CPU time (user + system of
 * each live process, plus the time of the children each has reaped), resident memory (the sum of VmRSS, which counts
 * a page shared by two processes twice) and page faults. What it cannot: page cache and kernel memory of the
 * processes (no cgroup accounts them), so the working set it reports is the resident memory, and usage is unknown;
 * CPU of descendants that ended without their parent reaping them; anything the processes left behind when they
 * detached from the tree.
 */
public final class ProcessTreeUsage {
    private final Path proc;

    public ProcessTreeUsage(Path proc) {
        this.proc = proc;
    }

    public static ProcessTreeUsage system() {
        return new ProcessTreeUsage(Path.of("/proc"));
    }

    /** One process's counters. */
    record Counters(long cpuNanos, long rssBytes, long minorFaults, long majorFaults) {
    }

    /** The tree of {@code root} now; processes that end while it is read are left out. */
    public ContainerUsage measure(ProcessHandle root, Instant now) throws IOException {
        List<Long> pids = new ArrayList<>();
        pids.add(root.pid());
        root.descendants().forEach(process -> pids.add(process.pid()));
        long cpu = 0;
        long rss = 0;
        long minor = 0;
        long major = 0;
        for (long pid : pids) {
            Counters counters;
            try {
                counters = read(pid);
            } catch (NoSuchFileException e) {
                continue; // ended meanwhile
            }
            cpu += counters.cpuNanos();
            rss += counters.rssBytes();
            minor += counters.minorFaults();
            major += counters.majorFaults();
        }
        return new ContainerUsage(CpuStats.cumulative(now, cpu),
                new MemoryStats(now, null, null, rss, rss, minor, major));
    }

    /** What one process used (its own CPU and that of the children it reaped) and its resident memory now. */
    public ContainerUsage measureProcess(long pid, Instant now) throws IOException {
        Counters counters = read(pid);
        return new ContainerUsage(CpuStats.cumulative(now, counters.cpuNanos()), new MemoryStats(now, null, null,
                counters.rssBytes(), counters.rssBytes(), counters.minorFaults(), counters.majorFaults()));
    }

    /** What the tree used: cumulative CPU and its memory. */
    public record ContainerUsage(CpuStats cpu, MemoryStats memory) {
    }

    private Counters read(long pid) throws IOException {
        Path dir = proc.resolve(Long.toString(pid));
        return counters(Files.readString(dir.resolve("stat")), Files.readString(dir.resolve("status")));
    }

    static Counters counters(String stat, String status) {
        // the command (field 2) may hold spaces and parentheses: the fields that follow start after its last ')'
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).strip().split("\\s+");
        // fields[0] is field 3 (state): minflt 10, majflt 12, utime 14, stime 15, cutime 16, cstime 17
        long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]) + Long.parseLong(fields[13])
                + Long.parseLong(fields[14]);
        long rssKib = 0;
        for (String line : status.split("\n")) {
            if (line.startsWith("VmRSS:")) {
                rssKib = Long.parseLong(line.substring(6).strip().split("\\s+")[0]);
            }
        }
        return new Counters(ticks * HostUsage.NANOS_PER_TICK, rssKib * 1024, Long.parseLong(fields[7]),
                Long.parseLong(fields[9]));
    }
}
