package dev.kumo.e2e.loops;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.PodView;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Lists a Deployment's ReplicaSets and pods over and over while a rollout runs (as fast as the API answers), keeping
 * each observation: the ReplicaSets' desired replicas summed (what the Deployment controller bounds by
 * replicas + maxSurge), how many pods exist that are not being deleted, and how many of those are available
 * (Running and Ready; the tests' Deployments have no minReadySeconds).
 */
final class RolloutObserver implements AutoCloseable {
    /** One list of the pods. */
    record Observation(int desired, int pods, int available, List<String> hashes) {
    }

    private final ApiClient api;
    private final String namespace;
    private final String selector;
    private final List<Observation> observations = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile RuntimeException failure;

    RolloutObserver(ApiClient api, String namespace, String selector) {
        this.api = api;
        this.namespace = namespace;
        this.selector = selector;
        this.thread = Thread.ofVirtual().name("rollout observer " + namespace).start(this::observe);
    }

    private void observe() {
        try {
            while (running.get()) {
                int desired = 0;
                for (JsonNode rs : api.get("/apis/apps/v1/namespaces/" + namespace + "/replicasets?labelSelector="
                        + URLEncoder.encode(selector, StandardCharsets.UTF_8)).expect(200).json().path("items")) {
                    desired += rs.path("spec").path("replicas").asInt();
                }
                List<PodView> pods = PodView.list(api, namespace, selector);
                List<PodView> live = pods.stream().filter(pod -> !pod.terminating()).toList();
                Observation observation = new Observation(desired, live.size(),
                        (int) live.stream().filter(PodView::serving).count(),
                        live.stream().map(PodView::templateHash).distinct().sorted().toList());
                synchronized (observations) {
                    observations.add(observation);
                }
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    /** Stops observing and returns every observation made. */
    List<Observation> stop() throws InterruptedException {
        close();
        if (failure != null) {
            throw new AssertionError("observing the rollout failed", failure);
        }
        synchronized (observations) {
            return List.copyOf(observations);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join();
    }
}
