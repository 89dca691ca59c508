package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.GoDuration;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.NodeTaint;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A NodePool ({@code kumo.dev/v1alpha1}) as the provisioner reads it. The API server validated it; a field it
 * cannot read anyway (an object written before validation existed) falls back to the default.
 *
 * @param launchCount {@code status.launchCount}: instances launched for the pool over its life, so the next launch
 *                    has ordinal {@code launchCount + 1} and client token {@code <uid>-<ordinal>}
 */
public record NodePool(ObjectNode object, String name, String uid, List<String> instanceTypes, int minSize,
                       int maxSize, Integer replicas, Map<String, String> labels, List<NodeTaint> taints,
                       Duration emptyNodeTTL, List<String> zones, long launchCount) {
    /** The label every node of a pool carries: the pool's name. */
    public static final String POOL_LABEL = "kumo.dev/node-pool";
    public static final String API_VERSION = "kumo.dev/v1alpha1";
    static final Duration DEFAULT_EMPTY_NODE_TTL = Duration.ofMinutes(5);

    public static NodePool of(ObjectNode pool) {
        JsonNode spec = pool.path("spec");
        List<String> types = new ArrayList<>();
        spec.path("instanceTypes").forEach(t -> types.add(t.asText()));
        Map<String, String> labels = new LinkedHashMap<>();
        spec.path("labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText("")));
        List<NodeTaint> taints = new ArrayList<>();
        spec.path("taints").forEach(t -> taints.add(new NodeTaint(t.path("key").asText(), t.path("value").asText(""),
                t.path("effect").asText())));
        List<String> zones = new ArrayList<>();
        spec.path("zones").forEach(z -> zones.add(z.asText()));
        Duration ttl;
        try {
            ttl = GoDuration.parse(spec.path("emptyNodeTTL").asText(""));
        } catch (IllegalArgumentException e) {
            ttl = DEFAULT_EMPTY_NODE_TTL;
        }
        Integer replicas = spec.path("replicas").canConvertToInt() ? spec.path("replicas").asInt() : null;
        return new NodePool(pool, Meta.name(pool), Meta.uid(pool), List.copyOf(types), spec.path("minSize").asInt(0),
                spec.path("maxSize").asInt(0), replicas, Map.copyOf(labels), List.copyOf(taints), ttl,
                List.copyOf(zones), pool.path("status").path("launchCount").asLong(0));
    }

    /**
     * The size the pool never goes below: {@code spec.replicas} when set (within the bounds), else {@code minSize}.
     * Scale-up for pending pods may go above it, up to {@code maxSize}; scale-down of empty nodes comes back to it.
     */
    public int floor() {
        int wanted = replicas == null ? minSize : replicas;
        return Math.max(minSize, Math.min(maxSize, wanted));
    }

    /** The instance type new nodes get: the first listed (the list is an order of preference). */
    public String instanceType() {
        return instanceTypes.getFirst();
    }

    /** The zone for the launch of ordinal {@code n}: round robin over {@code spec.zones}, or the provider's choice. */
    public String zoneFor(long ordinal) {
        return zones.isEmpty() ? null : zones.get((int) Math.floorMod(ordinal - 1, (long) zones.size()));
    }

    /** The labels a node of the pool registers with: the pool's, and {@link #POOL_LABEL}. */
    public Map<String, String> nodeLabels() {
        Map<String, String> all = new LinkedHashMap<>(labels);
        all.put(POOL_LABEL, name);
        return all;
    }

    /** The launch's client token: derived from the need, so that a repeated reconcile asks for the same instance. */
    public String clientToken(long ordinal) {
        return uid + "-" + ordinal;
    }
}
