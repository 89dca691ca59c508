package dev.kumo.node.stats;

import dev.kumo.node.pods.PodRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * The node's summary ({@code GET /stats/summary}): the machine's usage ({@link HostUsage}), the state directory's
 * file system, and the runtime's pods, with CPU rates from {@link CpuRates}. As in the kubelet, a sampler moves the
 * rates' window on every {@link #SAMPLE_INTERVAL} (the eviction manager's housekeeping does it there) and requests
 * read the last rates, so the first rates appear one interval after the agent (or a container) started. A pod whose
 * runtime does not measure it apart gets the sum of its containers (the kubelet's {@code addPodCPUMemoryStats}).
 */
public final class SummaryProvider implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryProvider.class);
    /** The kubelet's eviction monitoring period, which updates its CPU rates. */
    public static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(10);
    private static final String NODE = "node";

    private final String nodeName;
    private final Path stateDir;
    private final Supplier<PodRuntime> runtime;
    private final HostUsage host;
    private final Clock clock;
    private final CpuRates rates = new CpuRates();
    private volatile Thread sampler;

    public SummaryProvider(String nodeName, Path stateDir, Supplier<PodRuntime> runtime, HostUsage host,
                           Clock clock) {
        this.nodeName = nodeName;
        this.stateDir = stateDir;
        this.runtime = runtime;
        this.host = host;
        this.clock = clock;
    }

    /** The summary now, with the last rates; {@code cpuAndMemoryOnly} leaves the file system out. */
    public Summary summary(boolean cpuAndMemoryOnly) throws Exception {
        return read(false, cpuAndMemoryOnly);
    }

    /** Takes one sample (the sampler's step): the rates move on to now. */
    public Summary sample() throws Exception {
        return read(true, false);
    }

    /** Samples every {@code interval} on a virtual thread until closed. */
    public synchronized void start(Duration interval) {
        if (sampler != null) {
            throw new IllegalStateException("the stats sampler of " + nodeName + " runs already");
        }
        sampler = Thread.ofVirtual().name("stats-" + nodeName).start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    sample();
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    LOG.atWarn().addKeyValue("node", nodeName).setCause(e).log("sampling resource usage failed");
                }
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
    }

    private Summary read(boolean update, boolean cpuAndMemoryOnly) throws Exception {
        Instant now = clock.instant();
        CpuStats nodeCpu = host.cpu(now);
        NodeStats node = new NodeStats(nodeName, host.bootTime(), nodeCpu.withUsageNanoCores(rate(NODE, nodeCpu,
                update)), host.memory(now), cpuAndMemoryOnly ? null : FsStats.of(stateDir, now));
        List<PodStats> pods = new ArrayList<>();
        for (PodStats pod : runtime.get().stats()) {
            List<ContainerStats> containers = new ArrayList<>();
            for (ContainerStats container : pod.containers()) {
                containers.add(container.cpu() == null ? container
                        : container.withCpu(container.cpu().withUsageNanoCores(rate(container.id(), container.cpu(),
                        update))));
            }
            CpuStats podCpu = pod.cpu() == null ? PodSums.cpu(containers)
                    : pod.cpu().withUsageNanoCores(rate("pod/" + pod.uid(), pod.cpu(), update));
            pods.add(pod.with(containers, podCpu, pod.memory() == null ? PodSums.memory(containers) : pod.memory()));
        }
        if (update) {
            rates.forgetOld(now);
        }
        return new Summary(node, pods);
    }

    private Long rate(String id, CpuStats reading, boolean update) {
        return update ? rates.update(id, reading) : rates.latest(id, reading);
    }

    @Override
    public void close() {
        Thread running = sampler;
        if (running != null) {
            running.interrupt();
        }
    }
}
