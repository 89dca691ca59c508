package dev.kumo.node.stats;

import java.time.Instant;

/**
 * The summary API's {@code CPUStats}: when it was measured, the cumulative usage (core-nanoseconds since the
 * container, pod or node began) and the rate over the last sample window (nanocores: 1e9 is one busy core). Null
 * fields are unknown and left out, as the kubelet leaves out what it has no data for.
 */
public record CpuStats(Instant time, Long usageNanoCores, Long usageCoreNanoSeconds) {

    /** A cumulative reading without a rate (the rate needs two readings: {@link CpuRates}). */
    public static CpuStats cumulative(Instant time, long usageCoreNanoSeconds) {
        return new CpuStats(time, null, usageCoreNanoSeconds);
    }

    public CpuStats withUsageNanoCores(Long nanoCores) {
        return new CpuStats(time, nanoCores, usageCoreNanoSeconds);
    }
}
