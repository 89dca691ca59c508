package dev.kumo.node.stats;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * CPU rates from cumulative readings, as the kubelet's CRI stats provider computes {@code usageNanoCores}: each
 * reading is kept per container (or pod, or the node); the rate is the usage added since the kept reading divided by
 * the time between the two. The sampler ({@link #update}) moves the window on; the summary API reads the last rate
 * ({@link #latest}) without moving it, so that a client asking often does not shrink the window for everyone.
 */
public final class CpuRates {
    private static final Logger LOG = LoggerFactory.getLogger(CpuRates.class);
    /** How long an entry whose container went away is kept (the kubelet's {@code defaultCachePeriod}). */
    static final Duration CACHE_PERIOD = Duration.ofMinutes(10);

    private record Entry(CpuStats reading, Long nanoCores) {
    }

    private final Map<String, Entry> cache = new HashMap<>();

    /**
     * The kubelet's {@code getAndUpdateContainerUsageNanoCores}: the runtime's own rate when it gives one; else the
     * rate since the kept reading of {@code id}, which {@code reading} then replaces; null for the first reading, or
     * after the counter went backwards (a new container instance under the same key); null, logged, for a reading
     * that is not newer than the kept one (which the kubelet logs as something that should not happen).
     */
    public synchronized Long update(String id, CpuStats reading) {
        if (reading.usageNanoCores() != null) {
            return reading.usageNanoCores();
        }
        if (reading.usageCoreNanoSeconds() == null) {
            return null;
        }
        Entry kept = cache.get(id);
        if (kept == null || kept.reading().usageCoreNanoSeconds() == null
                || reading.usageCoreNanoSeconds() < kept.reading().usageCoreNanoSeconds()) {
            cache.put(id, new Entry(reading, null));
            return null;
        }
        long nanoSeconds = Duration.between(kept.reading().time(), reading.time()).toNanos();
        if (nanoSeconds <= 0) {
            LOG.atWarn().addKeyValue("id", id).addKeyValue("time", reading.time())
                    .addKeyValue("keptTime", kept.reading().time())
                    .log("failed updating cpu usage nano core: zero or negative interval");
            return null;
        }
        long nanoCores = (long) ((double) (reading.usageCoreNanoSeconds() - kept.reading().usageCoreNanoSeconds())
                / nanoSeconds * 1e9);
        cache.put(id, new Entry(reading, nanoCores));
        return nanoCores;
    }

    /** The kubelet's {@code getContainerUsageNanoCores}: the runtime's own rate, else the last computed one. */
    public synchronized Long latest(String id, CpuStats reading) {
        if (reading.usageNanoCores() != null) {
            return reading.usageNanoCores();
        }
        Entry kept = cache.get(id);
        return kept == null ? null : kept.nanoCores();
    }

    /** Forgets readings older than the cache period before {@code now} (containers that went away). */
    public synchronized void forgetOld(Instant now) {
        Instant cutoff = now.minus(CACHE_PERIOD);
        cache.values().removeIf(entry -> entry.reading().time().isBefore(cutoff));
    }
}
