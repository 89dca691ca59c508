package dev.kumo.local.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Watches the pods of a namespace and notes when each first shows {@code spec.nodeName}; reconnects from the last
 * resourceVersion seen when the server ends the watch.
 */
final class BoundPods implements AutoCloseable {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BenchClient client;
    private final String namespace;
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Set<String> bound = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastBoundAt = new AtomicLong();
    private final AtomicLong lastSeenAt = new AtomicLong();
    private final AtomicReference<String> resourceVersion = new AtomicReference<>();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private volatile boolean running = true;
    private final Thread watcher;

    BoundPods(BenchClient client, String namespace) throws Exception {
        this.client = client;
        this.namespace = namespace;
        resourceVersion.set(MAPPER.readTree(BenchClient.expect(client.send("GET",
                "/api/v1/namespaces/" + namespace + "/pods?limit=1", null), 200).body())
                .path("metadata").path("resourceVersion").asText());
        watcher = Thread.ofPlatform().daemon().name("bound-pods").start(this::watch);
    }

    private void watch() {
        while (running) {
            try {
                client.watch("/api/v1/namespaces/" + namespace + "/pods?watch=true&allowWatchBookmarks=true"
                        + "&resourceVersion=" + resourceVersion.get(), line -> {
                    try {
                        JsonNode event = MAPPER.readTree(line);
                        JsonNode object = event.path("object");
                        if (event.path("type").asText().equals("ERROR")) {
                            throw new IllegalStateException("watch ended: " + line);
                        }
                        resourceVersion.set(object.path("metadata").path("resourceVersion").asText());
                        if (event.path("type").asText().equals("BOOKMARK")) {
                            return running;
                        }
                        if (seen.add(object.path("metadata").path("name").asText())) {
                            lastSeenAt.set(System.nanoTime());
                        }
                        if (!object.path("spec").path("nodeName").asText("").isEmpty()
                                && bound.add(object.path("metadata").path("name").asText())) {
                            lastBoundAt.set(System.nanoTime());
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    return running;
                });
            } catch (Exception e) {
                if (running) {
                    failure.set(e);
                    running = false;
                }
            }
        }
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
    int listBound() throws Exception {
        int bound = 0;
        String next = "";
        do {
            JsonNode page = MAPPER.readTree(BenchClient.expect(client.send("GET", "/api/v1/namespaces/" + namespace
                    + "/pods?limit=500" + (next.isEmpty() ? "" : "&continue=" + next), null), 200).body());
            for (JsonNode pod : page.path("items")) {
                if (!pod.path("spec").path("nodeName").asText("").isEmpty()) {
                    bound++;
                }
            }
            next = page.path("metadata").path("continue").asText("");
        } while (!next.isEmpty());
        return bound;
    }

    /** Fails the benchmark when the watch broke (a result without it would be wrong). */
    void check() {
        if (failure.get() != null) {
            throw new IllegalStateException("watching pods failed", failure.get());
        }
    }

    @Override
    public void close() {
        running = false;
        watcher.interrupt();
    }
}
