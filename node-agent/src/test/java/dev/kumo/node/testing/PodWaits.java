package dev.kumo.node.testing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Predicate;

/** Polls a pod in {@code default} through the API until it gets somewhere or is gone, with a deadline. */
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
