package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.resource.ResourceList;
import dev.kumo.apimachinery.selection.Labels;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A node and what is placed on it (kube-scheduler's {@code framework.NodeInfo}): its pods, the sum of their requests
 * (and of their "non-zero" cpu and memory, which scoring uses), the host ports they bind, and the pods with
 * (anti-)affinity that InterPodAffinity must look at.
 */
public final class NodeInfo {
    private final ObjectNode node;
    private final String name;
    private final Map<String, String> labels;
    private final List<Taint> taints;
    private final boolean unschedulable;
    private final Resource allocatable;
    private final List<PodInfo> pods = new ArrayList<>();
    private final List<PodInfo> podsWithAffinity = new ArrayList<>();
    private final List<PodInfo> podsWithRequiredAntiAffinity = new ArrayList<>();
    private final List<HostPort> usedPorts = new ArrayList<>();
    private Resource requested = Resource.ZERO;
    private long nonZeroMilliCpu;
    private long nonZeroMemory;

    private NodeInfo(ObjectNode node) {
        this.node = node;
        this.name = Meta.name(node);
        this.labels = Map.copyOf(Labels.of(node));
        this.taints = Taint.of(node);
        this.unschedulable = node.path("spec").path("unschedulable").asBoolean(false);
        JsonNode allocatable = node.path("status").path("allocatable");
        this.allocatable = allocatable.isObject() ? Resource.of(ResourceList.fromJson(allocatable)) : Resource.ZERO;
    }

    public static NodeInfo of(ObjectNode node) {
        return new NodeInfo(node);
    }

    /** A copy with the same node and its own list of pods, for what-if questions (preemption's dry run). */
    public NodeInfo copy() {
        NodeInfo copy = new NodeInfo(this);
        pods.forEach(copy::addPod);
        return copy;
    }

    private NodeInfo(NodeInfo other) {
        this.node = other.node;
        this.name = other.name;
        this.labels = other.labels;
        this.taints = other.taints;
        this.unschedulable = other.unschedulable;
        this.allocatable = other.allocatable;
    }

    public void addPod(PodInfo pod) {
        pods.add(pod);
        if (pod.hasAffinity()) {
            podsWithAffinity.add(pod);
        }
        if (!pod.requiredAntiAffinityTerms().isEmpty()) {
            podsWithRequiredAntiAffinity.add(pod);
        }
        usedPorts.addAll(pod.hostPorts());
        requested = requested.plus(pod.requests()).plus(Resource.ONE_POD);
        nonZeroMilliCpu += pod.nonZeroMilliCpu();
        nonZeroMemory += pod.nonZeroMemory();
    }

    /** Removes the pod with the same identity; false when it is not on this node. */
    public boolean removePod(PodInfo pod) {
        for (int i = 0; i < pods.size(); i++) {
            PodInfo placed = pods.get(i);
            if (placed.identity().equals(pod.identity())) {
                pods.remove(i);
                podsWithAffinity.remove(placed);
                podsWithRequiredAntiAffinity.remove(placed);
                placed.hostPorts().forEach(usedPorts::remove);
                requested = requested.minus(placed.requests()).minus(Resource.ONE_POD);
                nonZeroMilliCpu -= placed.nonZeroMilliCpu();
                nonZeroMemory -= placed.nonZeroMemory();
                return true;
            }
        }
        return false;
    }

    public ObjectNode node() {
        return node;
    }

    public String name() {
        return name;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public List<Taint> taints() {
        return taints;
    }

    public boolean isUnschedulable() {
        return unschedulable;
    }

    /** {@code status.allocatable}; its {@code pods} is how many pods the node allows. */
    public Resource allocatable() {
        return allocatable;
    }

    /** The sum of the placed pods' requests; its {@code pods} is how many pods are placed. */
    public Resource requested() {
        return requested;
    }

    /** Placed cpu with 100m for each container that requests none (what scoring compares). */
    public long nonZeroMilliCpu() {
        return nonZeroMilliCpu;
    }

    /** Placed memory with 200Mi for each container that requests none. */
    public long nonZeroMemory() {
        return nonZeroMemory;
    }

    public List<PodInfo> pods() {
        return Collections.unmodifiableList(pods);
    }

    public List<PodInfo> podsWithAffinity() {
        return Collections.unmodifiableList(podsWithAffinity);
    }

    public List<PodInfo> podsWithRequiredAntiAffinity() {
        return Collections.unmodifiableList(podsWithRequiredAntiAffinity);
    }

    public List<HostPort> usedPorts() {
        return Collections.unmodifiableList(usedPorts);
    }

    @Override
    public String toString() {
        return name;
    }
}
