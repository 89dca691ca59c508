package dev.kumo.local.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.Informer;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Watches the pods of a namespace (an {@link Informer}: it resumes a watch the server ends and lists again when
 * one expires) and notes when each first shows {@code spec.nodeName}.
 */
final class BoundPods implements Informer.Handler, AutoCloseable {
    private final KubeClient client;
    private final String namespace;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastBoundAt = new AtomicLong();
    private final AtomicLong lastSeenAt = new AtomicLong();
    private final Informer informer;

    BoundPods(BenchClient client, String namespace) throws InterruptedException {
        this.client = client.kubeClient();
        this.namespace = namespace;
        informer = new Informer(this.client, ResourceType.PODS, namespace, "", "", this);
        Thread.ofPlatform().daemon().name("bound-pods").start(informer::run);
        if (!informer.awaitSynced(Duration.ofSeconds(30))) {
            informer.close();
            throw new IllegalStateException("could not list the pods of " + namespace + " within 30 s");
        }
    }

    @Override
    public void added(ObjectNode pod) {
        String name = pod.path("metadata").path("name").asText();
        if (seen.add(name)) {
            lastSeenAt.set(System.nanoTime());
        }
        updated(pod, pod);
    }

    @Override
    public void updated(ObjectNode previous, ObjectNode pod) {
        if (!pod.path("spec").path("nodeName").asText("").isEmpty()
                && bound.add(pod.path("metadata").path("name").asText())) {
            lastBoundAt.set(System.nanoTime());
        }
    }

    @Override
    public void deleted(ObjectNode last) {
    }

    /** Pods seen at all (created). */
    int seen() {
        return seen.size();
    }

    /** Pods seen with a node. */
    int count() {
        return bound.size();
    }

    /** {@link System#nanoTime()} when the latest pod was first seen (created). */
    long lastSeenAt() {
        return lastSeenAt.get();
    }

    /** {@link System#nanoTime()} when the latest pod was first seen bound. */
    long lastBoundAt() {
        return lastBoundAt.get();
    }

    /** Pods with a node by a LIST (paginated), to tell a stalled watch from a stalled scheduler. */
    int listBound() {
        return (int) client.list(ResourceType.PODS, namespace, "", "").stream()
                .filter(pod -> !pod.path("spec").path("nodeName").asText("").isEmpty()).count();
    }

    @Override
    public void close() {
        informer.close();
    }
}
