package dev.kumo.cloud.service;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerStatus;
import dev.kumo.cloud.LoadBalancers;
import dev.kumo.apimachinery.client.events.EventRecorder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One Service's load balancer brought in line, as the service controller's {@code syncLoadBalancerIfNeeded}: the
 * cleanup finalizer before the load balancer is made, {@code status.loadBalancer} after; on deletion (or a change
 * away from LoadBalancer) the load balancer deleted, then the finalizer removed and the status cleared. Events and
 * their wording are kube's. What it last ensured for each Service is remembered (kube's service cache): a Service or
 * node change that leaves the request as it was costs no cloud call and writes no event.
 */
final class LoadBalancerSync {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerSync.class);
    /** How often a finalizer write is tried when others keep changing the Service under it. */
    private static final int CONFLICT_ATTEMPTS = 5;

    /** A failed step, worded as kube words it ("failed to ensure load balancer: …"). */
    static final class SyncException extends Exception {
        private final boolean retryable;

        SyncException(String step, Exception cause, boolean retryable) {
            super(step + ": " + cause.getMessage(), cause);
            this.retryable = retryable;
        }

        boolean retryable() {
            return retryable;
        }
    }

    /** What one ensure sent and got back. */
    private record Ensured(LoadBalancerRequest request, List<LoadBalancerStatus.Ingress> ingress) {
    }

    private final KubeClient client;
    private final EventRecorder events;
    private final LoadBalancers loadBalancers;
    private final Map<String, Ensured> ensured = new ConcurrentHashMap<>();

    LoadBalancerSync(KubeClient client, EventRecorder events, LoadBalancers loadBalancers) {
        this.client = client;
        this.events = events;
        this.loadBalancers = loadBalancers;
    }

    /** Ensures the Service's load balancer for these targets, unless that is exactly what was ensured last. */
    void ensure(ObjectNode service, List<LoadBalancerRequest.Target> targets) throws SyncException {
        LoadBalancerRequest request = request(service, targets);
        if (upToDate(service, request)) {
            return;
        }
        String key = LoadBalancerServices.key(service);
        LOG.atInfo().addKeyValue("service", key).addKeyValue("loadBalancer", request.name())
                .addKeyValue("targets", targets.size()).log("ensuring load balancer");
        events.normal(service, "EnsuringLoadBalancer", "Ensuring load balancer");
        ObjectNode current = addFinalizer(service);
        if (targets.isEmpty()) {
            events.warning(current, "UnAvailableLoadBalancer", "There are no available nodes for LoadBalancer");
        }
        LoadBalancerStatus status;
        try {
            status = loadBalancers.ensure(request);
        } catch (CloudException e) {
            throw new SyncException("failed to ensure load balancer", e, e.retryable());
        }
        events.normal(current, "EnsuredLoadBalancer", "Ensured load balancer");
        patchStatus(current, status.ingress());
        ensured.put(Meta.uid(service), new Ensured(request, status.ingress()));
    }

    /**
     * The node sync's update of a load balancer this controller made: new targets only, with kube's
     * {@code UpdatedLoadBalancer} event. Nothing when the targets are those it last ensured.
     */
    void updateHosts(ObjectNode service, List<LoadBalancerRequest.Target> targets) throws SyncException {
        LoadBalancerRequest request = request(service, targets);
        if (upToDate(service, request)) {
            return;
        }
        LoadBalancerStatus status;
        try {
            status = loadBalancers.ensure(request);
        } catch (CloudException e) {
            throw new SyncException("Error updating load balancer with new hosts " + nodeAddresses(targets), e,
                    e.retryable());
        }
        LOG.atInfo().addKeyValue("service", LoadBalancerServices.key(service)).addKeyValue("loadBalancer",
                request.name()).addKeyValue("targets", targets.size()).log("updated load balancer targets");
        if (targets.isEmpty()) {
            events.warning(service, "UnAvailableLoadBalancer", "There are no available nodes for LoadBalancer");
        } else {
            events.normal(service, "UpdatedLoadBalancer", "Updated load balancer with new hosts");
        }
        patchStatus(service, status.ingress());
        ensured.put(Meta.uid(service), new Ensured(request, status.ingress()));
    }

    /** Deletes the load balancer if it exists, then lets the Service go: finalizer removed, status cleared. */
    void delete(ObjectNode service) throws SyncException {
        String name = LoadBalancerServices.loadBalancerName(service);
        try {
            boolean exists;
            try {
                exists = loadBalancers.find(name).isPresent();
            } catch (CloudException e) {
                throw new SyncException("failed to check if load balancer exists before cleanup", e, e.retryable());
            }
            if (exists) {
                LOG.atInfo().addKeyValue("service", LoadBalancerServices.key(service)).addKeyValue("loadBalancer", name)
                        .log("deleting load balancer");
                events.normal(service, "DeletingLoadBalancer", "Deleting load balancer");
                try {
                    loadBalancers.delete(name);
                } catch (CloudException e) {
                    throw new SyncException("failed to delete load balancer", e, e.retryable());
                }
            }
        } finally {
            ensured.remove(Meta.uid(service));
        }
        ObjectNode current = removeFinalizer(service);
        events.normal(current, "DeletedLoadBalancer", "Deleted load balancer");
        try {
            patchStatus(current, List.of());
        } catch (SyncException e) {
            if (!(e.getCause() instanceof ApiError api && api.isNotFound())) {
                throw e; // gone right after the finalizer left: nothing to clear
            }
        }
    }

    private boolean upToDate(ObjectNode service, LoadBalancerRequest request) {
        Ensured last = ensured.get(Meta.uid(service));
        return last != null && last.request().equals(request) && LoadBalancerServices.hasFinalizer(service)
                && ingress(service).equals(last.ingress());
    }

    private static LoadBalancerRequest request(ObjectNode service, List<LoadBalancerRequest.Target> targets) {
        return new LoadBalancerRequest(LoadBalancerServices.loadBalancerName(service),
                LoadBalancerServices.key(service), LoadBalancerServices.ports(service), targets,
                LoadBalancerServices.annotations(service));
    }

    private ObjectNode addFinalizer(ObjectNode service) throws SyncException {
        return setFinalizer(service, true, "failed to add load balancer cleanup finalizer");
    }

    private ObjectNode removeFinalizer(ObjectNode service) throws SyncException {
        return setFinalizer(service, false, "failed to remove load balancer cleanup finalizer");
    }

    /**
     * Adds or removes the cleanup finalizer with a merge patch at the Service's resourceVersion, so that nobody
     * else's finalizer is lost; on a conflict (another writer, or a second invocation racing this one) it reads the
     * Service again and retries, as kube's {@code RetryOnConflict}.
     */
    private ObjectNode setFinalizer(ObjectNode service, boolean present, String step) throws SyncException {
        ObjectNode current = service;
        for (int attempt = 1; ; attempt++) {
            if (LoadBalancerServices.hasFinalizer(current) == present) {
                return current;
            }
            ObjectNode patch = client.mapper().createObjectNode();
            ObjectNode metadata = patch.putObject("metadata").put("resourceVersion", Meta.resourceVersion(current));
            ArrayNode list = metadata.putArray("finalizers");
            current.path("metadata").path("finalizers").forEach(f -> {
                if (!f.asText().equals(LoadBalancerServices.CLEANUP_FINALIZER)) {
                    list.add(f.asText());
                }
            });
            if (present) {
                list.add(LoadBalancerServices.CLEANUP_FINALIZER);
            }
            try {
                return client.mergePatch(ResourceType.SERVICES, Meta.namespace(current), Meta.name(current), "",
                        patch);
            } catch (ApiError e) {
                if (!e.isConflict() || attempt == CONFLICT_ATTEMPTS) {
                    throw new SyncException(step, e, true);
                }
                current = client.get(ResourceType.SERVICES, Meta.namespace(current), Meta.name(current))
                        .orElseThrow(() -> new SyncException(step, e, true));
            } catch (RuntimeException e) {
                throw new SyncException(step, e, true);
            }
        }
    }

    /** Writes {@code status.loadBalancer.ingress} when it differs from what the Service shows. */
    private void patchStatus(ObjectNode service, List<LoadBalancerStatus.Ingress> ingress) throws SyncException {
        if (ingress(service).equals(ingress)) {
            return;
        }
        ObjectNode patch = client.mapper().createObjectNode();
        ObjectNode loadBalancer = patch.putObject("status").putObject("loadBalancer");
        if (ingress.isEmpty()) {
            loadBalancer.putNull("ingress");
        } else {
            ArrayNode list = loadBalancer.putArray("ingress");
            for (LoadBalancerStatus.Ingress point : ingress) {
                ObjectNode entry = list.addObject();
                if (point.ip() != null) {
                    entry.put("ip", point.ip());
                }
                if (point.hostname() != null) {
                    entry.put("hostname", point.hostname());
                }
            }
        }
        try {
            client.mergePatch(ResourceType.SERVICES, Meta.namespace(service), Meta.name(service), "status", patch);
        } catch (RuntimeException e) {
            throw new SyncException("failed to update load balancer status", e, true);
        }
    }

    /** The Service's ingress points as ip and hostname only (the API may add fields such as ipMode). */
    private static List<LoadBalancerStatus.Ingress> ingress(JsonNode service) {
        List<LoadBalancerStatus.Ingress> points = new ArrayList<>();
        for (JsonNode point : service.path("status").path("loadBalancer").path("ingress")) {
            points.add(new LoadBalancerStatus.Ingress(point.hasNonNull("ip") ? point.path("ip").asText() : null,
                    point.hasNonNull("hostname") ? point.path("hostname").asText() : null));
        }
        return points;
    }

    private static List<String> nodeAddresses(List<LoadBalancerRequest.Target> targets) {
        return targets.stream().map(LoadBalancerRequest.Target::address).toList();
    }
}
