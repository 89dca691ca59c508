package dev.kumo.node.stats;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A process tree's CPU and memory from {@code /proc}. */
class ProcessTreeUsageTest {

    @Test
    void statAndStatusFieldsAreRead() {
        // a command with a space and a parenthesis: the fields are counted from its last ')'
        String stat = "4242 (my (odd) cmd) S 1 4242 4242 0 -1 4194560 1500 0 7 0 250 50 30 20 20 0 1 0 12345 "
                + "10000000 600 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0";
        String status = "Name:\tmy (odd) cmd\nVmPeak:\t   10000 kB\nVmRSS:\t    2400 kB\nThreads:\t1\n";

        assertThat(ProcessTreeUsage.counters(stat, status))
                .isEqualTo(new ProcessTreeUsage.Counters((250 + 50 + 30 + 20) * 10_000_000L, 2400 * 1024, 1500, 7));
    }

    @Test
    void aBusyChildsCpuAndMemoryAreMeasured() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "sh -c 'while :; do :; done' & wait").start();
        try {
            ProcessTreeUsage trees = ProcessTreeUsage.system();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            ProcessTreeUsage.ContainerUsage usage = trees.measure(shell.toHandle(), Instant.now());
            while (usage.cpu().usageCoreNanoSeconds() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
                usage = trees.measure(shell.toHandle(), Instant.now());
            }
            assertThat(shell.toHandle().descendants().count()).as("the busy grandchild").isPositive();
            assertThat(usage.cpu().usageCoreNanoSeconds()).as("CPU of the busy grandchild").isPositive();
            assertThat(usage.memory().workingSetBytes()).isPositive().isEqualTo(usage.memory().rssBytes());
            assertThat(usage.memory().usageBytes()).as("no page cache without a cgroup").isNull();
            // the shell alone: it only waits, so the busy grandchild's CPU is not its own
            ProcessTreeUsage.ContainerUsage shellAlone = trees.measureProcess(shell.pid(), Instant.now());
            assertThat(shellAlone.cpu().usageCoreNanoSeconds()).isLessThan(trees.measure(shell.toHandle(),
                    Instant.now()).cpu().usageCoreNanoSeconds());
            assertThat(shellAlone.memory().rssBytes()).isPositive();
        } finally {
            shell.descendants().forEach(ProcessHandle::destroyForcibly);
            shell.destroyForcibly().waitFor();
        }
    }
}
