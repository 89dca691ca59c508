package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.client.events.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Creates and deletes a controller's pods through the API, with kube-controller-manager's events
 * ({@code SuccessfulCreate} "Created pod: x", {@code FailedCreate} "Error creating: ...", {@code SuccessfulDelete},
 * {@code FailedDelete}). Creates go in slow-start batches (1, 2, 4, ...; Kubernetes' {@code slowStartBatch}): a
 * batch's requests run in parallel on virtual threads, and a batch with a failure ends the run, so a quota that
 * refuses the first pod costs one request instead of hundreds. Deletes all run in parallel.
 */
public final class PodControl {
    private static final Logger LOG = LoggerFactory.getLogger(PodControl.class);
    static final int SLOW_START_INITIAL_BATCH = 1;
    /** Requests in flight at once: enough to keep the API busy, few enough not to queue at its front door. */
    static final int MAX_IN_FLIGHT = 64;

    private final KubeClient client;
    private final EventRecorder events;
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    public PodControl(KubeClient client, EventRecorder events) {
        this.client = client;
        this.events = events;
    }

    /** What became of the creates: how many were made, how many names were taken, and the first failure. */
    public record Creates(int created, int taken, int skipped, RuntimeException failure) {
    }

    /** What became of the deletes: how many were deleted, and the first failure. */
    public record Deletes(int deleted, RuntimeException failure) {
    }

    /**
     * Creates a pod from {@code owner}'s {@code spec.template} under each name, controlled by {@code controllerRef}
     * ({@code GetPodFromTemplate}: the template's labels, annotations, finalizers and spec).
     */
    public Creates createPods(ObjectNode owner, ObjectNode controllerRef, List<String> names, String generateName) {
        JsonNode template = owner.path("spec").path("template");
        int created = 0;
        int taken = 0;
        int next = 0;
        RuntimeException failure = null;
        for (int batch = Math.min(names.size(), SLOW_START_INITIAL_BATCH); batch > 0 && failure == null;
             batch = Math.min(2 * batch, names.size() - next)) {
            List<Callable<Outcome>> calls = new ArrayList<>(batch);
            for (String name : names.subList(next, next + batch)) {
                ObjectNode pod = podFromTemplate(owner, template, controllerRef, name, generateName);
                calls.add(() -> create(owner, pod));
            }
            next += batch;
            for (Outcome outcome : runAll(calls)) {
                switch (outcome) {
                    case Outcome.Done done -> created++;
                    case Outcome.Taken t -> taken++;
                    case Outcome.Failed failed -> failure = failure == null ? failed.error() : failure;
                }
            }
        }
        return new Creates(created, taken, names.size() - next, failure);
    }

    /** Deletes the pods, each only if it is still the pod that was listed (uid precondition). */
    public Deletes deletePods(ObjectNode owner, List<ObjectNode> pods) {
        List<Callable<Outcome>> calls = new ArrayList<>(pods.size());
        for (ObjectNode pod : pods) {
            calls.add(() -> delete(owner, pod));
        }
        int deleted = 0;
        RuntimeException failure = null;
        for (Outcome outcome : runAll(calls)) {
            switch (outcome) {
                case Outcome.Done done -> deleted++;
                case Outcome.Taken t -> { } // already gone or replaced: nothing of ours to delete
                case Outcome.Failed failed -> failure = failure == null ? failed.error() : failure;
            }
        }
        return new Deletes(deleted, failure);
    }

    private sealed interface Outcome {
        record Done() implements Outcome {
        }

        record Taken() implements Outcome {
        }

        record Failed(RuntimeException error) implements Outcome {
        }
    }

    private Outcome create(ObjectNode owner, ObjectNode pod) {
        String name = Meta.name(pod);
        try {
            client.create(ResourceType.PODS, Meta.namespace(owner), pod);
        } catch (ApiError e) {
            if (e.isConflict()) {
                // The slot's name is held: a racing sync created it, or a pod not ours has the name.
                LOG.atDebug().addKeyValue("replicaSet", key(owner)).addKeyValue("pod", name).log("pod name taken");
                return new Outcome.Taken();
            }
            return NamespaceTerminating.is(e) ? new Outcome.Failed(e) : failed(owner, "FailedCreate", "creating", e);
        } catch (RuntimeException e) {
            return failed(owner, "FailedCreate", "creating", e);
        }
        events.normal(owner, "SuccessfulCreate", "Created pod: " + name);
        return new Outcome.Done();
    }

    private Outcome delete(ObjectNode owner, ObjectNode pod) {
        String name = Meta.name(pod);
        try {
            if (!client.delete(ResourceType.PODS, Meta.namespace(pod), name, null, Meta.uid(pod))) {
                return new Outcome.Taken();
            }
        } catch (ApiError e) {
            return e.isConflict() ? new Outcome.Taken() // the name now belongs to another pod
                    : failed(owner, "FailedDelete", "deleting", e);
        } catch (RuntimeException e) {
            return failed(owner, "FailedDelete", "deleting", e);
        }
        events.normal(owner, "SuccessfulDelete", "Deleted pod: " + name);
        return new Outcome.Done();
    }

    /** Kubernetes' warning: {@code FailedCreate} "Error creating: <the API's message>". */
    private Outcome failed(ObjectNode owner, String reason, String verb, RuntimeException error) {
        events.warning(owner, reason, "Error " + verb + ": " + error.getMessage());
        return new Outcome.Failed(error);
    }

    private ObjectNode podFromTemplate(ObjectNode owner, JsonNode template, ObjectNode controllerRef, String name,
                                       String generateName) {
        ObjectNode pod = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "Pod");
        ObjectNode metadata = pod.putObject("metadata");
        metadata.put("name", name).put("generateName", generateName).put("namespace", Meta.namespace(owner));
        JsonNode templateMetadata = template.path("metadata");
        for (String field : List.of("labels", "annotations", "finalizers")) {
            JsonNode value = templateMetadata.get(field);
            if (value != null && !value.isNull() && !value.isEmpty()) {
                metadata.set(field, value.deepCopy());
            }
        }
        metadata.putArray("ownerReferences").add(controllerRef);
        JsonNode spec = template.get("spec");
        pod.set("spec", spec == null ? client.mapper().createObjectNode() : spec.deepCopy());
        return pod;
    }

    private List<Outcome> runAll(List<Callable<Outcome>> calls) {
        List<Outcome> outcomes = new ArrayList<>(calls.size());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Outcome>> futures = new ArrayList<>(calls.size());
            for (Callable<Outcome> call : calls) {
                futures.add(executor.submit(() -> {
                    inFlight.acquire();
                    try {
                        return call.call();
                    } finally {
                        inFlight.release();
                    }
                }));
            }
            for (Future<Outcome> future : futures) {
                outcomes.add(outcomeOf(future));
            }
        }
        return outcomes;
    }

    private static Outcome outcomeOf(Future<Outcome> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome.Failed(new IllegalStateException("interrupted while writing pods", e));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Outcome.Failed(cause instanceof RuntimeException runtime ? runtime
                    : new IllegalStateException(cause));
        }
    }

    private static String key(JsonNode owner) {
        return Meta.namespace(owner) + "/" + Meta.name(owner);
    }
}
