package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;

/** A pod's QoS class from its containers' requests and limits (Kubernetes' {@code GetPodQOS}). */
public final class QualityOfService {
    private QualityOfService() {
    }

    public static String of(JsonNode spec) {
        boolean anySet = false;
        boolean guaranteed = true;
        for (String list : new String[]{"initContainers", "containers"}) {
            for (JsonNode container : spec.path(list)) {
                JsonNode requests = container.path("resources").path("requests");
                JsonNode limits = container.path("resources").path("limits");
                if (requests.size() > 0 || limits.size() > 0) {
                    anySet = true;
                }
                for (String resource : new String[]{"cpu", "memory"}) {
                    JsonNode limit = limits.path(resource);
                    JsonNode request = requests.path(resource);
                    if (limit.isMissingNode() || (!request.isMissingNode() && !request.asText().equals(limit.asText()))) {
                        guaranteed = false;
                    }
                }
            }
        }
        if (!anySet) {
            return "BestEffort";
        }
        return guaranteed ? "Guaranteed" : "Burstable";
    }
}
