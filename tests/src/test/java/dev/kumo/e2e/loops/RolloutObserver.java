package dev.kumo.e2e.loops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.PodView;
import dev.kumo.e2e.support.WatchConnection;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Follows a rollout two ways while it runs. A watch of the Deployment's ReplicaSets gives, after every change in
 * order, the ReplicaSets' desired replicas summed (what the Deployment controller bounds by replicas + maxSurge),
 * and the changes themselves ({@code TYPE name@resourceVersion replicas}) to show how a sum came about. The watch
 * must bring each change once and in order: one whose resourceVersion is not above the last one seen (or the
 * list's) fails the observation, as does an ERROR event, rather than being summed as if it were news.
 * Lists of its pods, as fast as the API answers, give how many pods exist that are not being deleted and how many
 * of those are available (Running and Ready; the tests' Deployments have no minReadySeconds).
 */
final class RolloutObserver {
    /** One list of the pods. */
    record PodObservation(int pods, int available, List<String> hashes) {
    }

    /** What was seen, in order. */
    record Observations(List<Integer> desired, List<String> changes, List<PodObservation> pods) {
    }

    private static final Duration WATCH_POLL = Duration.ofMillis(200);

    private final ApiClient api;
    private final String namespace;
    private final String selector;
    private final List<Integer> desired = new ArrayList<>();
    private final List<String> changes = new ArrayList<>();
    private final List<PodObservation> pods = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final List<Thread> threads = new ArrayList<>();
    private volatile RuntimeException failure;

    RolloutObserver(ApiClient api, String namespace, String selector) {
        this.api = api;
        this.namespace = namespace;
        this.selector = selector;
        String replicaSets = "/apis/apps/v1/namespaces/" + namespace + "/replicasets?labelSelector="
                + URLEncoder.encode(selector, StandardCharsets.UTF_8);
        JsonNode list = api.get(replicaSets).expect(200).json();
        Map<String, Integer> replicas = new HashMap<>();
        list.path("items").forEach(rs -> replicas.put(rs.path("metadata").path("name").asText(),
                rs.path("spec").path("replicas").asInt()));
        desired.add(sum(replicas));
        String listVersion = list.path("metadata").path("resourceVersion").asText();
        changes.add("LIST @" + listVersion + " " + replicas);
        WatchConnection watch = api.watch(replicaSets + "&watch=true&resourceVersion=" + listVersion);
        threads.add(Thread.ofVirtual().name("rollout observer rs " + namespace).start(
                () -> guarded(() -> watchReplicaSets(watch, replicas, Long.parseLong(listVersion)))));
        threads.add(Thread.ofVirtual().name("rollout observer pods " + namespace).start(
                () -> guarded(this::listPods)));
    }

    private void watchReplicaSets(WatchConnection watch, Map<String, Integer> replicas, long listVersion) {
        long lastVersion = listVersion;
        try (watch) {
            while (running.get()) {
                JsonNode event = watch.nextOrNull(WATCH_POLL);
                String type = event == null ? "" : event.path("type").asText();
                if (event == null || type.equals("BOOKMARK")) {
                    continue;
                }
                if (type.equals("ERROR")) {
                    throw new AssertionError("the ReplicaSet watch failed: " + event + "; changes so far: "
                            + changes());
                }
                JsonNode rs = event.path("object");
                String name = rs.path("metadata").path("name").asText();
                long version = Long.parseLong(rs.path("metadata").path("resourceVersion").asText());
                int size = rs.path("spec").path("replicas").asInt();
                synchronized (desired) {
                    changes.add(type + " " + name + "@" + version + " " + size);
                }
                // A deleted object may carry the resourceVersion of its last state; additions and changes are new.
                if (!type.equals("DELETED") && version <= lastVersion) {
                    throw new AssertionError("the ReplicaSet watch delivered resourceVersion " + version
                            + " after " + lastVersion + ": " + changes());
                }
                lastVersion = Math.max(lastVersion, version);
                if (type.equals("DELETED")) {
                    replicas.remove(name);
                } else {
                    replicas.put(name, size);
                }
                synchronized (desired) {
                    desired.add(sum(replicas));
                }
            }
        }
    }

    private List<String> changes() {
        synchronized (desired) {
            return List.copyOf(changes);
        }
    }

    private void listPods() {
        while (running.get()) {
            List<PodView> live = PodView.list(api, namespace, selector).stream()
                    .filter(pod -> !pod.terminating()).toList();
            PodObservation observation = new PodObservation(live.size(),
                    (int) live.stream().filter(PodView::serving).count(),
                    live.stream().map(PodView::templateHash).distinct().sorted().toList());
            synchronized (pods) {
                pods.add(observation);
            }
        }
    }

    private void guarded(Runnable work) {
        try {
            work.run();
        } catch (RuntimeException | AssertionError e) {
            failure = e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e);
        }
    }

    private static int sum(Map<String, Integer> replicas) {
        return replicas.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** Stops observing and returns everything seen. */
    Observations stop() throws InterruptedException {
        running.set(false);
        for (Thread thread : threads) {
            thread.join();
        }
        if (failure != null) {
            throw new AssertionError("observing the rollout failed", failure);
        }
        synchronized (desired) {
            synchronized (pods) {
                return new Observations(List.copyOf(desired), List.copyOf(changes), List.copyOf(pods));
            }
        }
    }
}
