package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.Informer;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.node.probes.ProbeActions;
import dev.kumo.node.probes.ProbeManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs the pods bound to the node: an informer on {@code pods?fieldSelector=spec.nodeName=<node>} feeds a work queue
 * of pod keys, and workers bring each pod to what the API says, as the kubelet's pod workers and status manager do:
 *
 * <ul>
 *   <li>a pod is started through the runtime and its status written (via {@code pods/status}, only when it
 *   changed);</li>
 *   <li>a pod with a {@code deletionTimestamp} is stopped, its final status written, and then deleted with grace
 *   period 0 and a uid precondition (the kubelet's final delete, which only it makes);</li>
 *   <li>a pod in Succeeded or Failed is left alone (its remains are removed); one gone from the API, or replaced by
 *   a pod of the same name, is removed from the runtime.</li>
 * </ul>
 */
public final class PodSync implements Informer.Handler, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PodSync.class);

    private final KubeClient client;
    private final String nodeName;
    private final PodRuntime runtime;
    private final PodStatusBuilder statuses;
    private final Clock clock;
    private final Informer informer;
    private final WorkQueue<String> queue = new WorkQueue<>();
    /** The uid of the pod the runtime holds under each key. */
    private final Map<String, String> held = new ConcurrentHashMap<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The containers' probes; null for a runtime whose containers are ready once running (the simulated one). */
    private final ProbeManager probes;

    /** {@code events}: where the probes' events go (the runtime records its own). */
    public PodSync(KubeClient client, String nodeName, PodRuntime runtime, PodStatusBuilder statuses, Clock clock,
                   PodEvents events) {
        this.client = client;
        this.nodeName = nodeName;
        this.runtime = runtime;
        this.statuses = statuses;
        this.clock = clock;
        this.informer = new Informer(client, ResourceType.PODS, "", "", "spec.nodeName=" + nodeName, this);
        // a probe result that changes syncs the pod again, so that its status (and its Endpoints) follow
        this.probes = runtime.containerExec().map(exec -> new ProbeManager(new ProbeActions(exec), events, clock,
                queue::add)).orElse(null);
    }

    /** Starts the informer and {@code workers} workers on virtual threads. */
    public synchronized void start(int workers) {
        threads.add(Thread.ofVirtual().name("node-" + nodeName + "-pods").start(informer::run));
        for (int i = 0; i < workers; i++) {
            threads.add(Thread.ofVirtual().name("node-" + nodeName + "-pod-worker-" + i).start(this::work));
        }
    }

    @Override
    public void added(ObjectNode pod) {
        queue.add(key(pod));
    }

    @Override
    public void updated(ObjectNode previous, ObjectNode pod) {
        queue.add(key(pod));
    }

    @Override
    public void deleted(ObjectNode last) {
        queue.add(key(last));
    }

    private void work() {
        while (true) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (key == null) {
                return;
            }
            try {
                sync(key);
                queue.forget(key);
            } catch (Exception e) {
                Duration retry = queue.retry(key);
                LOG.atWarn().addKeyValue("node", nodeName).addKeyValue("pod", key)
                        .addKeyValue("retryInMillis", retry.toMillis()).setCause(e).log("pod sync failed");
            } finally {
                queue.done(key);
            }
        }
    }

    /** Brings one pod (by {@code namespace/name}) to what the API says of it. */
    void sync(String key) throws Exception {
        int slash = key.indexOf('/');
        ObjectNode pod = informer.get(key.substring(0, slash), key.substring(slash + 1)).orElse(null);
        String uid = pod == null ? null : Meta.uid(pod);
        String previous = held.get(key);
        if (previous != null && !previous.equals(uid)) {
            stopProbes(previous);
            runtime.remove(previous);
            held.remove(key);
            LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("pod", key).addKeyValue("uid", previous)
                    .log("removed a pod that is gone from the API");
        }
        if (pod == null) {
            return;
        }
        String phase = pod.path("status").path("phase").asText("");
        if (PodStatusBuilder.isTerminal(phase)) {
            stopProbes(uid);
            if (held.remove(key) != null) {
                runtime.remove(uid);
            }
            if (Meta.isBeingDeleted(pod)) {
                finalDelete(pod);
            }
            return;
        }
        held.put(key, uid);
        if (Meta.isBeingDeleted(pod)) {
            stopProbes(uid);
            RuntimePod stopped = runtime.kill(pod, gracePeriod(pod));
            ObjectNode finalStatus = statuses.build(pod, stopped, true, clock.instant());
            ObjectNode written = writeStatus(pod, finalStatus);
            LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("pod", key)
                    .addKeyValue("phase", finalStatus.path("phase").asText("")).log("stopped a pod being deleted");
            finalDelete(written);
            runtime.remove(uid);
            held.remove(key);
            return;
        }
        RuntimePod state = runtime.sync(pod);
        if (probes != null) {
            state = probe(pod, state);
        }
        writeStatus(pod, statuses.build(pod, state, false, clock.instant()));
        Duration resync = runtime.resyncInterval();
        if (resync != null) {
            queue.addAfter(key, resync); // what happens in the runtime reaches the status without an API change
        }
    }

    /**
     * Kills the containers whose liveness or startup probe failed and syncs the pod again (which restarts them as
     * the restart policy says), then gives the containers the started and ready flags their probes say.
     */
    private RuntimePod probe(ObjectNode pod, RuntimePod state) throws Exception {
        List<ProbeManager.Unhealthy> unhealthy = probes.unhealthy(pod, state);
        for (ProbeManager.Unhealthy container : unhealthy) {
            LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("pod", key(pod))
                    .addKeyValue("container", container.container()).log(container.message());
            runtime.killContainer(pod, container.container(), container.message(),
                    ProbeManager.killGracePeriod(container, gracePeriod(pod)));
        }
        if (!unhealthy.isEmpty()) {
            state = runtime.sync(pod);
        }
        return probes.update(pod, state);
    }

    private void stopProbes(String uid) {
        if (probes != null && uid != null) {
            probes.remove(uid);
        }
    }

    /** Writes {@code status} through {@code pods/status} unless the pod already has it; returns the pod as stored. */
    private ObjectNode writeStatus(ObjectNode pod, ObjectNode status) {
        if (status.equals(pod.path("status"))) {
            return pod;
        }
        ObjectNode update = pod.deepCopy();
        update.set("status", status);
        try {
            ObjectNode written = client.updateStatus(ResourceType.PODS, update);
            LOG.atDebug().addKeyValue("node", nodeName).addKeyValue("pod", key(pod))
                    .addKeyValue("phase", status.path("phase").asText("")).log("wrote pod status");
            return written;
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return pod; // deleted meanwhile: the informer will say so
            }
            throw e;
        }
    }

    /** The kubelet's final delete: grace period 0, only if the pod is still the one (uid) that was stopped. */
    private void finalDelete(ObjectNode pod) {
        ObjectNode options = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "DeleteOptions")
                .put("gracePeriodSeconds", 0);
        options.putObject("preconditions").put("uid", Meta.uid(pod));
        try {
            if (client.delete(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod), options)) {
                LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("pod", key(pod)).addKeyValue("uid", Meta.uid(pod))
                        .log("deleted the stopped pod");
            }
        } catch (ApiError e) {
            if (!e.isConflict()) {
                throw e;
            }
            // the name now belongs to a new pod: that one is not ours to delete
            LOG.atInfo().addKeyValue("node", nodeName).addKeyValue("pod", key(pod))
                    .log("the stopped pod was replaced before its final delete: " + e.getMessage());
        }
    }

    private static Duration gracePeriod(ObjectNode pod) {
        long seconds = pod.path("metadata").path("deletionGracePeriodSeconds")
                .asLong(pod.path("spec").path("terminationGracePeriodSeconds").asLong(30));
        return Duration.ofSeconds(Math.max(0, seconds));
    }

    private static String key(ObjectNode pod) {
        return Meta.namespace(pod) + "/" + Meta.name(pod);
    }

    @Override
    public void close() {
        if (probes != null) {
            probes.close();
        }
        queue.shutDown();
        informer.close();
        List<Thread> stopping;
        synchronized (this) {
            stopping = new ArrayList<>(threads);
            threads.clear();
        }
        for (Thread thread : stopping) {
            try {
                thread.join(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
