package dev.kumo.node.cri;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.node.cri.v1.LinuxContainerResources;

import java.util.List;

/**
 * A container's requests and limits as cgroup settings, computed as the kubelet does
 * ({@code calculateLinuxResources} and {@code GetContainerOOMScoreAdjust}): CPU shares from the request (the limit
 * when there is no request; at least 2), a CFS quota from the limit over a 100 ms period, the memory limit in bytes,
 * and the OOM score adjustment of the pod's QoS class.
 */
final class ContainerResources {
    static final long MIN_SHARES = 2;
    static final long MAX_SHARES = 262_144;
    static final long SHARES_PER_CPU = 1024;
    static final long QUOTA_PERIOD_MICROS = 100_000;
    static final long MIN_QUOTA_MICROS = 1000;
    static final int GUARANTEED_OOM_SCORE_ADJ = -997;
    static final int BEST_EFFORT_OOM_SCORE_ADJ = 1000;

    private ContainerResources() {
    }

    static LinuxContainerResources of(JsonNode pod, JsonNode container, long nodeMemoryBytes) {
        JsonNode resources = container.path("resources");
        long cpuRequest = milli(resources.path("requests").path("cpu"));
        long cpuLimit = milli(resources.path("limits").path("cpu"));
        long memoryLimit = bytes(resources.path("limits").path("memory"));
        LinuxContainerResources.Builder linux = LinuxContainerResources.newBuilder()
                .setCpuShares(milliCpuToShares(cpuRequest == 0 && cpuLimit != 0 ? cpuLimit : cpuRequest))
                .setCpuPeriod(QUOTA_PERIOD_MICROS)
                .setCpuQuota(milliCpuToQuota(cpuLimit, QUOTA_PERIOD_MICROS))
                .setOomScoreAdj(oomScoreAdj(pod, container, nodeMemoryBytes));
        if (memoryLimit != 0) {
            linux.setMemoryLimitInBytes(memoryLimit);
        }
        return linux.build();
    }

    static long milliCpuToShares(long milliCpu) {
        if (milliCpu == 0) {
            return MIN_SHARES;
        }
        long shares = milliCpu * SHARES_PER_CPU / 1000;
        return Math.max(MIN_SHARES, Math.min(MAX_SHARES, shares));
    }

    /** 0 (no quota) without a limit. */
    static long milliCpuToQuota(long milliCpu, long periodMicros) {
        if (milliCpu == 0) {
            return 0;
        }
        return Math.max(MIN_QUOTA_MICROS, milliCpu * periodMicros / 1000);
    }

    /** The kubelet's OOM score adjustment: by QoS class, and for Burstable by the share of the node's memory asked. */
    static int oomScoreAdj(JsonNode pod, JsonNode container, long nodeMemoryBytes) {
        String qos = qosClass(pod);
        if (qos.equals("Guaranteed")) {
            return GUARANTEED_OOM_SCORE_ADJ;
        }
        if (qos.equals("BestEffort")) {
            return BEST_EFFORT_OOM_SCORE_ADJ;
        }
        long memoryRequest = bytes(container.path("resources").path("requests").path("memory"));
        if (nodeMemoryBytes <= 0) {
            return BEST_EFFORT_OOM_SCORE_ADJ - 1;
        }
        long adj = 1000 - (1000 * memoryRequest) / nodeMemoryBytes;
        if (adj < 2) {
            return 2; // Burstable pods stay above Guaranteed ones
        }
        return adj >= 1000 ? 999 : (int) adj; // and below BestEffort ones
    }

    /** {@code status.qosClass} as the API server set it, else computed the same way. */
    static String qosClass(JsonNode pod) {
        String set = pod.path("status").path("qosClass").asText("");
        if (!set.isEmpty()) {
            return set;
        }
        boolean any = false;
        boolean guaranteed = true;
        for (String list : List.of("initContainers", "containers")) {
            for (JsonNode container : pod.path("spec").path(list)) {
                JsonNode requests = container.path("resources").path("requests");
                JsonNode limits = container.path("resources").path("limits");
                for (String resource : List.of("cpu", "memory")) {
                    JsonNode request = requests.path(resource).isMissingNode() ? limits.path(resource)
                            : requests.path(resource);
                    JsonNode limit = limits.path(resource);
                    if (!isZero(request) || !isZero(limit)) {
                        any = true;
                    }
                    if (isZero(limit) || Quantity.parse(limit.asText()).compareTo(Quantity.parse(request.asText("0"))) != 0) {
                        guaranteed = false;
                    }
                }
            }
        }
        return !any ? "BestEffort" : guaranteed ? "Guaranteed" : "Burstable";
    }

    private static boolean isZero(JsonNode quantity) {
        return quantity.isMissingNode() || quantity.isNull() || Quantity.parse(quantity.asText()).isZero();
    }

    private static long milli(JsonNode quantity) {
        return isZero(quantity) ? 0 : Quantity.parse(quantity.asText()).milliValue();
    }

    private static long bytes(JsonNode quantity) {
        return isZero(quantity) ? 0 : Quantity.parse(quantity.asText()).value();
    }
}
