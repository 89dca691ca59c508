package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.resource.PodResources;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.resource.ResourceList;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.controllers.scheduler.helper.InvalidSelectorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A pod with what the scheduler reads from it parsed once (kube-scheduler's {@code framework.PodInfo} plus the
 * request sums its NodeInfo keeps): labels, requests, tolerations, host ports and affinity terms. The pod object
 * itself is never changed; the node it is placed on is kept here.
 */
public final class PodInfo {
    /** What a container that requests no cpu or memory counts as for scoring ({@code schedutil.DefaultMilliCPURequest}, {@code DefaultMemoryRequest}). */
    public static final long DEFAULT_MILLI_CPU_REQUEST = 100;
    public static final long DEFAULT_MEMORY_REQUEST = 200L * 1024 * 1024;
    private static final ResourceList NON_ZERO_DEFAULTS = ResourceList.EMPTY
            .with(Resource.CPU, Quantity.ofMillis(DEFAULT_MILLI_CPU_REQUEST))
            .with(Resource.MEMORY, Quantity.of(DEFAULT_MEMORY_REQUEST, Quantity.Format.DECIMAL_SI));

    private final ObjectNode pod;
    private final String namespace;
    private final String name;
    private final String uid;
    private final String nodeName;
    private final Map<String, String> labels;
    private final int priority;
    private final boolean terminating;
    private final Resource requests;
    private final long nonZeroMilliCpu;
    private final long nonZeroMemory;
    private final List<Toleration> tolerations;
    private final List<HostPort> hostPorts;
    private final List<AffinityTerm> requiredAffinityTerms;
    private final List<AffinityTerm> requiredAntiAffinityTerms;
    private final List<WeightedAffinityTerm> preferredAffinityTerms;
    private final List<WeightedAffinityTerm> preferredAntiAffinityTerms;
    private final List<String> parseErrors;

    private PodInfo(PodInfo parsed, String nodeName) {
        this.pod = parsed.pod;
        this.namespace = parsed.namespace;
        this.name = parsed.name;
        this.uid = parsed.uid;
        this.nodeName = nodeName;
        this.labels = parsed.labels;
        this.priority = parsed.priority;
        this.terminating = parsed.terminating;
        this.requests = parsed.requests;
        this.nonZeroMilliCpu = parsed.nonZeroMilliCpu;
        this.nonZeroMemory = parsed.nonZeroMemory;
        this.tolerations = parsed.tolerations;
        this.hostPorts = parsed.hostPorts;
        this.requiredAffinityTerms = parsed.requiredAffinityTerms;
        this.requiredAntiAffinityTerms = parsed.requiredAntiAffinityTerms;
        this.preferredAffinityTerms = parsed.preferredAffinityTerms;
        this.preferredAntiAffinityTerms = parsed.preferredAntiAffinityTerms;
        this.parseErrors = parsed.parseErrors;
    }

    private PodInfo(ObjectNode pod) {
        this.pod = pod;
        this.namespace = Meta.namespace(pod);
        this.name = Meta.name(pod);
        this.uid = Meta.uid(pod);
        JsonNode spec = pod.path("spec");
        this.nodeName = spec.path("nodeName").asText("");
        this.labels = Map.copyOf(Labels.of(pod));
        this.priority = spec.path("priority").asInt(0);
        this.terminating = Meta.isBeingDeleted(pod);
        this.requests = Resource.of(PodResources.requests(spec, true));
        Resource nonZero = Resource.of(PodResources.requests(spec, true, NON_ZERO_DEFAULTS));
        this.nonZeroMilliCpu = nonZero.milliCpu();
        this.nonZeroMemory = nonZero.memory();
        this.tolerations = Toleration.of(pod);
        this.hostPorts = HostPort.of(pod);
        List<String> errors = new ArrayList<>();
        JsonNode affinity = spec.path("affinity");
        JsonNode podAffinity = affinity.path("podAffinity");
        JsonNode podAntiAffinity = affinity.path("podAntiAffinity");
        String required = "requiredDuringSchedulingIgnoredDuringExecution";
        String preferred = "preferredDuringSchedulingIgnoredDuringExecution";
        this.requiredAffinityTerms = terms(podAffinity.path(required), errors);
        this.requiredAntiAffinityTerms = terms(podAntiAffinity.path(required), errors);
        this.preferredAffinityTerms = weightedTerms(podAffinity.path(preferred), errors);
        this.preferredAntiAffinityTerms = weightedTerms(podAntiAffinity.path(preferred), errors);
        this.parseErrors = List.copyOf(errors);
    }

    public static PodInfo of(ObjectNode pod) {
        return new PodInfo(pod);
    }

    /** The same pod placed on {@code node} (what the scheduler assumes once it chose the node). */
    public PodInfo onNode(String node) {
        return new PodInfo(this, node);
    }

    /** {@code getAffinityTerms}: one term that cannot be parsed drops the whole list, and the error is kept. */
    private List<AffinityTerm> terms(JsonNode list, List<String> errors) {
        List<AffinityTerm> terms = new ArrayList<>();
        try {
            for (JsonNode term : list) {
                terms.add(AffinityTerm.of(namespace, term));
            }
        } catch (InvalidSelectorException e) {
            errors.add(e.getMessage());
            return List.of();
        }
        return List.copyOf(terms);
    }

    private List<WeightedAffinityTerm> weightedTerms(JsonNode list, List<String> errors) {
        List<WeightedAffinityTerm> terms = new ArrayList<>();
        try {
            for (JsonNode weighted : list) {
                terms.add(new WeightedAffinityTerm(AffinityTerm.of(namespace, weighted.path("podAffinityTerm")),
                        weighted.path("weight").asInt(0)));
            }
        } catch (InvalidSelectorException e) {
            errors.add(e.getMessage());
            return List.of();
        }
        return List.copyOf(terms);
    }

    public ObjectNode pod() {
        return pod;
    }

    public String namespace() {
        return namespace;
    }

    public String name() {
        return name;
    }

    /** {@code namespace/name}, how logs and messages name the pod. */
    public String key() {
        return namespace + "/" + name;
    }

    /** The UID where the pod has one, else its namespace and name: what tells pods apart in a node's list. */
    public String identity() {
        return uid.isEmpty() ? key() : uid;
    }

    /** {@link #identity()} read from the pod object without parsing the rest of it. */
    public static String identity(JsonNode pod) {
        String uid = Meta.uid(pod);
        return uid.isEmpty() ? Meta.namespace(pod) + "/" + Meta.name(pod) : uid;
    }

    public String nodeName() {
        return nodeName;
    }

    public Map<String, String> labels() {
        return labels;
    }

    public int priority() {
        return priority;
    }

    public boolean isTerminating() {
        return terminating;
    }

    /** The pod's effective requests, overhead included (what NodeResourcesFit compares with allocatable). */
    public Resource requests() {
        return requests;
    }

    public long nonZeroMilliCpu() {
        return nonZeroMilliCpu;
    }

    public long nonZeroMemory() {
        return nonZeroMemory;
    }

    public List<Toleration> tolerations() {
        return tolerations;
    }

    public List<HostPort> hostPorts() {
        return hostPorts;
    }

    public List<AffinityTerm> requiredAffinityTerms() {
        return requiredAffinityTerms;
    }

    public List<AffinityTerm> requiredAntiAffinityTerms() {
        return requiredAntiAffinityTerms;
    }

    public List<WeightedAffinityTerm> preferredAffinityTerms() {
        return preferredAffinityTerms;
    }

    public List<WeightedAffinityTerm> preferredAntiAffinityTerms() {
        return preferredAntiAffinityTerms;
    }

    /** Any pod (anti-)affinity at all, required or preferred ({@code NodeInfo.PodsWithAffinity}). */
    public boolean hasAffinity() {
        return !requiredAffinityTerms.isEmpty() || !requiredAntiAffinityTerms.isEmpty()
                || !preferredAffinityTerms.isEmpty() || !preferredAntiAffinityTerms.isEmpty();
    }

    /** Selectors in the pod's affinity that could not be read; kube-scheduler refuses to schedule such a pod. */
    public List<String> parseErrors() {
        return parseErrors;
    }

    @Override
    public String toString() {
        return key();
    }
}
