package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.controllers.scheduler.framework.Taint;
import dev.kumo.controllers.scheduler.framework.Toleration;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When the NoExecute taints of a node evict a pod, after kube's taint eviction controller
 * ({@code processPodOnNode}): a taint no toleration matches evicts at once; otherwise the first toleration matching
 * each taint is used, and the smallest {@code tolerationSeconds} among them counts from when the node was first
 * tainted NoExecute (the earliest {@code timeAdded}; kube counts from when it first saw the taints); tolerations
 * without seconds tolerate forever.
 */
final class TaintEviction {
    private TaintEviction() {
    }

    /** A NoExecute taint with the time it was added. */
    record NoExecuteTaint(Taint taint, Instant added) {
        static List<NoExecuteTaint> of(JsonNode node, Instant fallback) {
            List<NoExecuteTaint> taints = new ArrayList<>();
            for (JsonNode taint : node.path("spec").path("taints")) {
                if (NodeTaints.NO_EXECUTE.equals(taint.path("effect").asText())) {
                    taints.add(new NoExecuteTaint(new Taint(taint.path("key").asText(""),
                            taint.path("value").asText(""), NodeTaints.NO_EXECUTE),
                            Timestamps.parse(taint.path("timeAdded")).orElse(fallback)));
                }
            }
            return taints;
        }
    }

    /** When the taints evict {@code pod}; empty when its tolerations keep it there forever (or there is no taint). */
    static Optional<Instant> evictionTime(List<NoExecuteTaint> taints, JsonNode pod) {
        if (taints.isEmpty()) {
            return Optional.empty();
        }
        List<Toleration> tolerations = Toleration.of(pod);
        JsonNode raw = pod.path("spec").path("tolerations");
        Instant start = taints.stream().map(NoExecuteTaint::added).min(Instant::compareTo).orElseThrow();
        Duration shortest = null;
        for (NoExecuteTaint taint : taints) {
            int used = -1;
            for (int i = 0; i < tolerations.size(); i++) {
                if (tolerations.get(i).tolerates(taint.taint())) {
                    used = i;
                    break;
                }
            }
            if (used < 0) {
                return Optional.of(Instant.MIN); // not tolerated: at once
            }
            JsonNode seconds = raw.get(used).path("tolerationSeconds");
            if (seconds.isIntegralNumber()) {
                Duration allowed = Duration.ofSeconds(Math.max(0, seconds.asLong()));
                shortest = shortest == null || allowed.compareTo(shortest) < 0 ? allowed : shortest;
            }
        }
        return shortest == null ? Optional.empty() : Optional.of(start.plus(shortest));
    }
}
