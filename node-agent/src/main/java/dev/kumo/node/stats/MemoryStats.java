package dev.kumo.node.stats;

import java.time.Instant;

/**
 * The summary API's {@code MemoryStats}. {@code workingSetBytes} is what the kubelet calls the working set: usage
 * less inactive file pages (what cannot be reclaimed easily, and what eviction and metrics-server look at);
 * {@code availableBytes} is the limit less the working set, unknown without a limit. Null fields are unknown.
 */
public record MemoryStats(Instant time, Long availableBytes, Long usageBytes, Long workingSetBytes, Long rssBytes,
                          Long pageFaults, Long majorPageFaults) {

    /**
     * From a cgroup's or the machine's counters, as cadvisor reads them: the working set is {@code usage} less
     * {@code inactiveFile} (never below 0), available is {@code limit} less the working set when there is a limit
     * ({@code limit} null: none).
     */
    public static MemoryStats of(Instant time, long usage, long inactiveFile, Long limit, Long rss, Long pageFaults,
                                 Long majorPageFaults) {
        long workingSet = Math.max(0, usage - inactiveFile);
        Long available = limit == null ? null : Math.max(0, limit - workingSet);
        return new MemoryStats(time, available, usage, workingSet, rss, pageFaults, majorPageFaults);
    }
}
