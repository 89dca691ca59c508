package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.Labels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The cluster as one scheduling cycle sees it (kube-scheduler's cache snapshot): every node with the pods placed on
 * it, plus the namespaces' labels (for affinity namespace selectors) and the workloads that define default
 * spreading. Built from plain lists of objects, so any host can fill it from a LIST or a store.
 *
 * <p>Nodes are kept in kube-scheduler's node tree order: zone by zone, round robin, so that a search that stops
 * early still looks across zones. {@link #assume} places a pod the moment it is chosen, before any binding is
 * written, as kube-scheduler's cache does; {@link #forget} takes it back if the binding fails.
 */
public final class ClusterSnapshot {
    private final List<NodeInfo> nodes;
    private final Map<String, NodeInfo> byName;
    private final Map<String, Map<String, String>> namespaceLabels;
    private final Workloads workloads;

    private ClusterSnapshot(List<NodeInfo> nodes, Map<String, Map<String, String>> namespaceLabels,
                            Workloads workloads) {
        this.nodes = nodes;
        this.byName = new HashMap<>();
        nodes.forEach(node -> byName.put(node.name(), node));
        this.namespaceLabels = namespaceLabels;
        this.workloads = workloads;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<NodeInfo> nodes() {
        return Collections.unmodifiableList(nodes);
    }

    public int size() {
        return nodes.size();
    }

    /** The node's info, or null when the snapshot has no such node. */
    public NodeInfo get(String nodeName) {
        return byName.get(nodeName);
    }

    public List<NodeInfo> nodesWithPodsWithAffinity() {
        return nodes.stream().filter(n -> !n.podsWithAffinity().isEmpty()).toList();
    }

    public List<NodeInfo> nodesWithPodsWithRequiredAntiAffinity() {
        return nodes.stream().filter(n -> !n.podsWithRequiredAntiAffinity().isEmpty()).toList();
    }

    /** The namespace's labels; empty for a namespace the snapshot does not know. */
    public Map<String, String> namespaceLabels(String namespace) {
        return namespaceLabels.getOrDefault(namespace, Map.of());
    }

    /** The names of the known namespaces whose labels {@code selector} matches. */
    public Set<String> namespacesMatching(LabelSelector selector) {
        Set<String> names = new java.util.TreeSet<>();
        namespaceLabels.forEach((name, labels) -> {
            if (selector.matches(labels)) {
                names.add(name);
            }
        });
        return names;
    }

    public Workloads workloads() {
        return workloads;
    }

    /** Places the pod on the node in this snapshot; returns the placed pod. */
    public PodInfo assume(PodInfo pod, String nodeName) {
        NodeInfo node = byName.get(nodeName);
        if (node == null) {
            throw new IllegalArgumentException("node \"" + nodeName + "\" is not in the snapshot");
        }
        PodInfo placed = pod.onNode(nodeName);
        node.addPod(placed);
        return placed;
    }

    /** Takes back a pod placed by {@link #assume}; false when it is not placed. */
    public boolean forget(PodInfo pod) {
        NodeInfo node = byName.get(pod.nodeName());
        return node != null && node.removePod(pod);
    }

    /** This snapshot with one node's info replaced (the others shared), for preemption's what-if. */
    public ClusterSnapshot withNode(NodeInfo replacement) {
        List<NodeInfo> replaced = new ArrayList<>(nodes.size());
        for (NodeInfo node : nodes) {
            replaced.add(node.name().equals(replacement.name()) ? replacement : node);
        }
        return new ClusterSnapshot(replaced, namespaceLabels, workloads);
    }

    /** Collects the objects; {@link #build} places each bound, unfinished pod on its node. */
    public static final class Builder {
        private final List<ObjectNode> nodes = new ArrayList<>();
        private final List<ObjectNode> pods = new ArrayList<>();
        private final Map<String, Map<String, String>> namespaces = new HashMap<>();
        private Workloads workloads = Workloads.NONE;

        public Builder nodes(List<ObjectNode> list) {
            nodes.addAll(list);
            return this;
        }

        public Builder pods(List<ObjectNode> list) {
            pods.addAll(list);
            return this;
        }

        public Builder namespaces(List<? extends JsonNode> list) {
            list.forEach(ns -> namespaces.put(Meta.name(ns), Map.copyOf(Labels.of(ns))));
            return this;
        }

        public Builder workloads(Workloads value) {
            this.workloads = value;
            return this;
        }

        public ClusterSnapshot build() {
            List<NodeInfo> infos = nodeTreeOrder(nodes.stream().map(NodeInfo::of).toList());
            ClusterSnapshot snapshot = new ClusterSnapshot(new ArrayList<>(infos), Map.copyOf(namespaces), workloads);
            Set<String> seen = new java.util.HashSet<>();
            for (ObjectNode pod : pods) {
                NodeInfo node = snapshot.get(pod.path("spec").path("nodeName").asText(""));
                // A pod listed twice (say, from two pages of a list that moved) is one pod.
                if (node != null && !isFinished(pod) && seen.add(PodInfo.identity(pod))) {
                    node.addPod(PodInfo.of(pod));
                }
            }
            return snapshot;
        }

        /** The scheduler's cache leaves out pods that will never run again. */
        private static boolean isFinished(JsonNode pod) {
            String phase = pod.path("status").path("phase").asText("");
            return phase.equals("Succeeded") || phase.equals("Failed");
        }

        /** One node of each zone in turn, zones in the order their first node came ({@code nodeTree.list}). */
        private static List<NodeInfo> nodeTreeOrder(List<NodeInfo> infos) {
            Map<String, List<NodeInfo>> zones = new LinkedHashMap<>();
            for (NodeInfo info : infos) {
                zones.computeIfAbsent(zoneKey(info.labels()), z -> new ArrayList<>()).add(info);
            }
            List<NodeInfo> ordered = new ArrayList<>(infos.size());
            for (int index = 0; ordered.size() < infos.size(); index++) {
                for (List<NodeInfo> zone : zones.values()) {
                    if (index < zone.size()) {
                        ordered.add(zone.get(index));
                    }
                }
            }
            return ordered;
        }

        /** {@code utilnode.GetZoneKey}: region and zone, current labels first, then the deprecated beta ones. */
        private static String zoneKey(Map<String, String> labels) {
            String zone = labels.getOrDefault("topology.kubernetes.io/zone",
                    labels.getOrDefault("failure-domain.beta.kubernetes.io/zone", ""));
            String region = labels.getOrDefault("topology.kubernetes.io/region",
                    labels.getOrDefault("failure-domain.beta.kubernetes.io/region", ""));
            return region.isEmpty() && zone.isEmpty() ? "" : region + ":\0:" + zone;
        }
    }
}
