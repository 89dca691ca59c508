package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.Informer;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps {@link ClusterRecords} current: informers on every namespace's Services and EndpointSlices (what a node may
 * list and watch, as kube-proxy), and on Pods when pod records are verified, each on its own virtual thread.
 */
public final class ClusterRecordsFeed implements AutoCloseable {
    private final List<Informer> informers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    private ClusterRecordsFeed() {
    }

    /** Starts the informers of {@code client} (named after {@code owner} in thread names) into {@code records}. */
    public static ClusterRecordsFeed start(KubeClient client, ClusterRecords records, PodRecords podRecords,
                                           String owner) {
        ClusterRecordsFeed feed = new ClusterRecordsFeed();
        feed.watch(client, ResourceType.SERVICES, records::putService, records::removeService, owner);
        feed.watch(client, ResourceType.ENDPOINT_SLICES, records::putSlice, records::removeSlice, owner);
        if (podRecords == PodRecords.VERIFIED) {
            feed.watch(client, ResourceType.PODS, records::putPod, records::removePod, owner);
        }
        return feed;
    }

    private void watch(KubeClient client, ResourceType type, Consumer<JsonNode> put, Consumer<JsonNode> remove,
                       String owner) {
        Informer informer = new Informer(client, type, "", "", "", new Informer.Handler() {
            @Override
            public void added(ObjectNode object) {
                put.accept(object);
            }

            @Override
            public void updated(ObjectNode previous, ObjectNode object) {
                put.accept(object);
            }

            @Override
            public void deleted(ObjectNode last) {
                remove.accept(last);
            }
        });
        informers.add(informer);
        threads.add(Thread.ofVirtual().name("dns-" + owner + "-" + type.plural()).start(informer::run));
    }

    /** Waits until every informer has listed once; false when {@code timeout} passed first. */
    public boolean awaitSynced(Duration timeout) throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        for (Informer informer : informers) {
            Duration left = Duration.between(Instant.now(), deadline);
            if (left.isNegative() || !informer.awaitSynced(left)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        informers.forEach(Informer::close);
        for (Thread thread : threads) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
