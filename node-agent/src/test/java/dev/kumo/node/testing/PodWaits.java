package dev.kumo.node.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Polls a pod in {@code default} through the API until it gets somewhere or is gone, or until an event about it
 * appears, with a deadline.
 */
public final class PodWaits {
    private PodWaits() {
    }

    public static ObjectNode await(KubeClient client, String name, Predicate<ObjectNode> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ObjectNode> pod = client.get(ResourceType.PODS, "default", name);
            if (pod.isPresent() && condition.test(pod.get())) {
                return pod.get();
            }
            Thread.sleep(20);
        }
        throw new AssertionError("pod " + name + " did not get there: "
                + client.get(ResourceType.PODS, "default", name).map(pod -> pod.path("status").toString()));
    }

    /** The events about pod {@code name} in {@code default}, listed with a field selector on involvedObject.name. */
    public static List<ObjectNode> events(KubeClient client, String name) {
        return client.list(ResourceType.EVENTS, "default", "", "involvedObject.name=" + name);
    }

    /** Waits for an event about pod {@code name} with {@code reason} whose message {@code message} accepts. */
    public static ObjectNode awaitEvent(KubeClient client, String name, String reason, Predicate<String> message,
                                        Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ObjectNode> event = events(client, name).stream()
                    .filter(e -> reason.equals(e.path("reason").asText())
                            && message.test(e.path("message").asText()))
                    .findFirst();
            if (event.isPresent()) {
                return event.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no " + reason + " event about pod " + name + " among "
                + events(client, name).stream().map(e -> e.path("reason").asText() + ": "
                        + e.path("message").asText()).toList());
    }

    public static void awaitGone(KubeClient client, String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (client.get(ResourceType.PODS, "default", name).isEmpty()) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("pod " + name + " is still there: "
                + client.get(ResourceType.PODS, "default", name).map(pod -> pod.path("status").toString()));
    }
}
