package dev.kumo.node.stats;

import java.time.Instant;

/**
 * The node's own usage ({@code NodeStats}): since when it is measured (boot), its CPU and memory, and the file
 * system of the agent's state directory (the kubelet's nodefs: its root directory's).
 */
public record NodeStats(String nodeName, Instant startTime, CpuStats cpu, MemoryStats memory, FsStats fs) {

    public NodeStats withCpu(CpuStats rated) {
        return new NodeStats(nodeName, startTime, rated, memory, fs);
    }
}
