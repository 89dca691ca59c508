package dev.kumo.apiserver.admission.node;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Which labels a node may set on its own Node object (Kubernetes' {@code k8s.io/kubelet/pkg/apis} well-known
 * kubelet labels): never those under {@code node-restriction.kubernetes.io/}, which administrators use to steer
 * workloads to trusted nodes; under {@code kubernetes.io} and {@code k8s.io} only the kubelet's own set. Any other
 * label is the node's business.
 */
final class NodeLabels {
    static final String NODE_RESTRICTION_NAMESPACE = "node-restriction.kubernetes.io";
    private static final Set<String> KUBELET_LABELS = Set.of(
            "kubernetes.io/hostname",
            "topology.kubernetes.io/zone",
            "topology.kubernetes.io/region",
            "failure-domain.beta.kubernetes.io/zone",
            "failure-domain.beta.kubernetes.io/region",
            "beta.kubernetes.io/instance-type",
            "node.kubernetes.io/instance-type",
            "kubernetes.io/os",
            "kubernetes.io/arch",
            "beta.kubernetes.io/os",
            "beta.kubernetes.io/arch");
    private static final Set<String> KUBELET_LABEL_NAMESPACES = Set.of("kubelet.kubernetes.io", "node.kubernetes.io");

    private NodeLabels() {
    }

    /** Keys added, removed or changed between two {@code metadata.labels} maps (missing maps are empty). */
    static Set<String> modified(JsonNode labels, JsonNode oldLabels) {
        Map<String, String> now = asMap(labels);
        Map<String, String> before = asMap(oldLabels);
        Set<String> keys = new TreeSet<>(now.keySet());
        keys.addAll(before.keySet());
        keys.removeIf(key -> Objects.equals(now.get(key), before.get(key)));
        return keys;
    }

    /** The keys among {@code modified} a node may not add, remove or change, sorted. */
    static SortedSet<String> forbidden(Set<String> modified) {
        SortedSet<String> forbidden = new TreeSet<>();
        for (String key : modified) {
            String namespace = namespaceOf(key);
            if (inDomain(namespace, NODE_RESTRICTION_NAMESPACE)) {
                forbidden.add(key);
            }
            if (isKubernetesLabel(namespace) && !isKubeletLabel(key, namespace)) {
                forbidden.add(key);
            }
        }
        return forbidden;
    }

    private static boolean isKubernetesLabel(String namespace) {
        return inDomain(namespace, "kubernetes.io") || inDomain(namespace, "k8s.io");
    }

    private static boolean isKubeletLabel(String key, String namespace) {
        return KUBELET_LABELS.contains(key)
                || KUBELET_LABEL_NAMESPACES.stream().anyMatch(allowed -> inDomain(namespace, allowed));
    }

    /** {@code namespace} is {@code domain} or one of its subdomains. */
    private static boolean inDomain(String namespace, String domain) {
        return namespace.equals(domain) || namespace.endsWith("." + domain);
    }

    /** The prefix before '/', "" for a key without one. */
    private static String namespaceOf(String key) {
        int slash = key.indexOf('/');
        return slash < 0 ? "" : key.substring(0, slash);
    }

    private static Map<String, String> asMap(JsonNode labels) {
        Map<String, String> map = new HashMap<>();
        if (labels != null && labels.isObject()) {
            labels.fields().forEachRemaining(entry -> map.put(entry.getKey(), entry.getValue().asText()));
        }
        return map;
    }
}
