package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.client.events.EventRecorder;

import java.util.Optional;

/**
 * kube-scheduler's DefaultBinder and its "Scheduled" event: {@code POST pods/<name>/binding}. The API server reserves
 * the pod's requests on the node in the same write and refuses with 409 when another scheduler took the room first
 * ({@code Insufficient cpu}, {@code Too many pods}); a refusal is told apart from a pod that no longer needs binding
 * by reading the pod again, not by parsing the message.
 */
final class Binder {
    private final KubeClient client;
    private final EventRecorder events;

    sealed interface Outcome {
    }

    /** The pod is bound to the node. */
    record Bound() implements Outcome {
    }

    /** The node did not take the pod (its room went to another binding): schedule it again on a fresh view. */
    record Refused(String reason) implements Outcome {
    }

    /** The pod needs no binding any more: deleted, replaced by a pod of the same name, or bound by someone else. */
    record Moot(String reason) implements Outcome {
    }

    Binder(KubeClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    Outcome bind(ObjectNode pod, String node) {
        String namespace = Meta.namespace(pod);
        String name = Meta.name(pod);
        ObjectNode binding = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Binding");
        binding.putObject("metadata").put("name", name).put("namespace", namespace).put("uid", Meta.uid(pod));
        binding.putObject("target").put("apiVersion", "v1").put("kind", "Node").put("name", node);
        try {
            client.createSubresource(ResourceType.PODS, namespace, name, "binding", binding);
        } catch (ApiError e) {
            if (!e.isConflict() && !e.isNotFound()) {
                throw e;
            }
            return whyNot(pod, e);
        }
        events.normal(pod, "Scheduled", "Successfully assigned " + namespace + "/" + name + " to " + node);
        return new Bound();
    }

    private Outcome whyNot(ObjectNode pod, ApiError refusal) {
        Optional<ObjectNode> now = client.get(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod));
        if (now.isEmpty()) {
            return new Moot("the pod is gone");
        }
        ObjectNode current = now.get();
        if (!Meta.uid(current).equals(Meta.uid(pod))) {
            return new Moot("the pod was replaced by another of the same name");
        }
        if (PendingPods.isBound(current)) {
            return new Moot("the pod is bound to " + current.path("spec").path("nodeName").asText());
        }
        if (!PendingPods.isOurs(current)) {
            return new Moot("the pod no longer waits for this scheduler");
        }
        return new Refused(refusal.getMessage());
    }
}
