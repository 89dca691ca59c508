package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.GoDuration;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Scale-down of a pool's empty nodes (cluster-autoscaler's unneeded empty nodes, Karpenter's consolidateAfter): a
 * node with no workload pods ({@link NodeOccupancy}) gets the annotation {@value #EMPTY_SINCE} with the time it was
 * first seen empty (a loop keeps no memory between invocations, so the time lives on the node); a pod on it removes
 * the annotation. Once a node has been empty for the pool's {@code emptyNodeTTL}, it is removed ({@link ScaleDown}),
 * the longest-empty first, while the pool has more instances than its floor. The earliest TTL still running is the
 * requeue.
 */
final class EmptyNodes {
    static final String EMPTY_SINCE = "kumo.dev/empty-since";
    private static final Logger LOG = LoggerFactory.getLogger(EmptyNodes.class);

    /** The pool's nodes and instances after the pass, and when to look again. */
    record Outcome(List<ObjectNode> nodes, List<Instance> instances, Result result) {
    }

    private record Candidate(ObjectNode node, Instant since) {
    }

    private final KubeClient client;
    private final ScaleDown scaleDown;
    private final EventRecorder events;
    private final Clock clock;

    EmptyNodes(KubeClient client, ScaleDown scaleDown, EventRecorder events, Clock clock) {
        this.client = client;
        this.scaleDown = scaleDown;
        this.events = events;
        this.clock = clock;
    }

    Outcome reconcile(NodePool pool, List<ObjectNode> nodes, List<Instance> instances, List<ObjectNode> pods)
            throws CloudException {
        Instant now = clock.instant();
        Result result = Result.DONE;
        List<Candidate> due = new ArrayList<>();
        for (ObjectNode node : nodes) {
            String name = Meta.name(node);
            boolean empty = !Meta.isBeingDeleted(node) && NodeOccupancy.workloadPods(pods, name).isEmpty();
            Optional<Instant> since = emptySince(node);
            if (!empty) {
                if (since.isPresent()) {
                    annotate(name, null);
                }
                continue;
            }
            Instant start = since.orElse(now);
            if (since.isEmpty()) {
                annotate(name, now.toString());
            }
            Instant deadline = start.plus(pool.emptyNodeTTL());
            if (!deadline.isAfter(now)) {
                due.add(new Candidate(node, start));
            } else {
                result = result.orSooner(Result.requeueAfter(Duration.between(now, deadline)));
            }
        }
        List<ObjectNode> remainingNodes = new ArrayList<>(nodes);
        List<Instance> remainingInstances = new ArrayList<>(instances);
        due.sort(Comparator.comparing(Candidate::since).thenComparing(c -> Meta.name(c.node())));
        for (Candidate candidate : due) {
            if (remainingInstances.size() <= pool.floor()) {
                break;
            }
            String name = Meta.name(candidate.node());
            Optional<Instance> instance = instanceOf(candidate.node(), remainingInstances);
            if (instance.isEmpty()) {
                LOG.atWarn().addKeyValue("nodePool", pool.name()).addKeyValue("node", name)
                        .log("empty node has no instance of the pool; left to the cloud node controller");
                continue;
            }
            if (scaleDown.remove(candidate.node(), instance.get().providerId())) {
                events.normal(pool.object(), "ScaleDown", "Scale-down: removing empty node " + name + " (empty for "
                        + GoDuration.format(Duration.between(candidate.since(), now)) + ")");
                remainingNodes.remove(candidate.node());
                remainingInstances.remove(instance.get());
            }
        }
        return new Outcome(remainingNodes, remainingInstances, result);
    }

    private static Optional<Instance> instanceOf(ObjectNode node, List<Instance> instances) {
        String providerId = node.path("spec").path("providerID").asText("");
        return instances.stream().filter(i -> providerId.isEmpty() ? i.nodeName().equals(Meta.name(node))
                : i.providerId().equals(providerId)).findFirst();
    }

    private static Optional<Instant> emptySince(ObjectNode node) {
        String value = node.path("metadata").path("annotations").path(EMPTY_SINCE).asText("");
        try {
            return value.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(value));
        } catch (DateTimeParseException e) {
            return Optional.empty(); // not ours to trust: counted from now, and rewritten
        }
    }

    private void annotate(String node, String value) {
        ObjectNode patch = client.mapper().createObjectNode();
        ObjectNode annotations = patch.putObject("metadata").putObject("annotations");
        if (value == null) {
            annotations.putNull(EMPTY_SINCE);
        } else {
            annotations.put(EMPTY_SINCE, value);
        }
        client.mergePatch(ResourceType.NODES, "", node, "", patch);
    }

    static boolean isReady(JsonNode node) {
        for (JsonNode condition : node.path("status").path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                return condition.path("status").asText().equals("True");
            }
        }
        return false;
    }
}
