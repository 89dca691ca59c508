package dev.kumo.node.pods;

import java.util.List;

/**
 * A pod as its runtime sees it: whether its sandbox (with its network) is ready, the sandbox's IPs, and the
 * containers it has run or runs (containers it has not reached are absent).
 */
public record RuntimePod(boolean sandboxReady, List<String> ips, List<RuntimeContainer> initContainers,
                         List<RuntimeContainer> containers) {
    public RuntimePod {
        ips = List.copyOf(ips);
        initContainers = List.copyOf(initContainers);
        containers = List.copyOf(containers);
    }
}
