package dev.kumo.node.stats;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The machine's CPU and memory as {@code /proc} shows them, from recorded file contents and from this machine. */
class HostUsageTest {
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05Z");

    @Test
    void cpuIsTheBusyTicksOfProcStat() {
        String stat = """
                cpu  1000 20 300 90000 500 6 7 8 40 0
                cpu0 500 10 150 45000 250 3 3 4 20 0
                intr 12345
                btime 1767225600
                """;
        // user + nice + system + irq + softirq + steal, at 100 ticks a second
        assertThat(HostUsage.cpu(stat, NOW)).isEqualTo(CpuStats.cumulative(NOW, (1000 + 20 + 300 + 6 + 7 + 8)
                * 10_000_000L));
    }

    @Test
    void memoryIsMeminfoAsCadvisorCountsTheRootCgroup() {
        String meminfo = """
                MemTotal:        8000000 kB
                MemFree:         2000000 kB
                MemAvailable:    5000000 kB
                Inactive(file):  1500000 kB
                AnonPages:       2500000 kB
                HugePages_Total:       0
                """;
        String vmstat = """
                nr_free_pages 500000
                pgfault 123456
                pgmajfault 789
                """;
        long kib = 1024;
        assertThat(HostUsage.memory(meminfo, vmstat, NOW)).isEqualTo(new MemoryStats(NOW,
                (8_000_000 - 4_500_000) * kib, 6_000_000 * kib, 4_500_000 * kib, 2_500_000 * kib, 123456L, 789L));
    }

    @Test
    void thisMachineIsRead() throws Exception {
        HostUsage host = HostUsage.system();
        assertThat(host.bootTime()).isBefore(Instant.now());
        assertThat(host.cpu(NOW).usageCoreNanoSeconds()).isPositive();
        MemoryStats memory = host.memory(NOW);
        assertThat(memory.workingSetBytes()).isPositive().isLessThanOrEqualTo(memory.usageBytes());
        assertThat(memory.availableBytes()).isPositive();
    }
}
