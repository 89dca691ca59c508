package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.testing.TestCluster;

import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Nodes with capacity (made by the admin: there are no kubelets), pods with requests, and the scheduler's context. */
public final class Fixtures {
    private Fixtures() {
    }

    /** What the scheduler gets from its host: its own identity, and events as {@code default-scheduler}. */
    static ControllerContext schedulerContext(TestCluster cluster, Clock clock) {
        KubeClient client = cluster.scheduler();
        return new ControllerContext(client, new EventRecorder(client, SchedulerLoop.EVENT_SOURCE, clock), clock);
    }

    public static ObjectNode node(String name, String cpu, String pods) {
        return TestCluster.object("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},"spec":{},
                 "status":{"capacity":{"cpu":"%s","memory":"64Gi","pods":"%s"},
                           "allocatable":{"cpu":"%s","memory":"64Gi","pods":"%s"}}}"""
                .formatted(name, cpu, pods, cpu, pods));
    }

    /** Creates the node; its status (capacity, allocatable) is written as a node agent would. */
    public static ObjectNode createNode(KubeClient admin, ObjectNode node) {
        ObjectNode created = admin.create(ResourceType.NODES, "", node);
        if (!created.path("status").path("allocatable").equals(node.path("status").path("allocatable"))) {
            created.set("status", node.get("status"));
            created = admin.updateStatus(ResourceType.NODES, created);
        }
        return created;
    }

    public static ObjectNode pod(String name, String cpu, int priority) {
        ObjectNode pod = TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default"},
                 "spec":{"containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"%s"}}}]}}"""
                .formatted(name, cpu));
        if (priority != 0) {
            ((ObjectNode) pod.get("spec")).put("priority", priority);
        }
        return pod;
    }

    public static ObjectNode createPod(KubeClient admin, ObjectNode pod) {
        return admin.create(ResourceType.PODS, Meta.namespace(pod), pod);
    }

    static ObjectKey key(String name) {
        return new ObjectKey("pods", "default", name);
    }

    static ObjectNode get(KubeClient admin, String name) {
        return admin.get(ResourceType.PODS, "default", name).orElseThrow();
    }

    /** Deletes at once, as a kubelet does once the containers stopped. */
    public static void deleteNow(KubeClient admin, String name) {
        ObjectNode options = admin.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "DeleteOptions")
                .put("gracePeriodSeconds", 0);
        admin.delete(ResourceType.PODS, "default", name, options);
    }

    /** Deletes every pod at once: tests of the scheduler start from a cluster without pods. */
    public static void deleteAllPods(KubeClient admin) {
        for (ObjectNode pod : admin.list(ResourceType.PODS, "", "", "")) {
            deleteNow(admin, Meta.name(pod));
        }
    }

    /** The events about one object, by reason. */
    static List<ObjectNode> events(KubeClient admin, String name, String reason) {
        return admin.list(ResourceType.EVENTS, "default", "", "involvedObject.name=" + name).stream()
                .filter(event -> event.path("reason").asText().equals(reason)).toList();
    }

    /** Bound, unfinished pods per node: their cpu requests in millis and their number. */
    record Placed(long milliCpu, int pods) {
    }

    static Map<String, Placed> placedPerNode(KubeClient admin) {
        Map<String, Placed> placed = new HashMap<>();
        for (ObjectNode pod : admin.list(ResourceType.PODS, "", "", "")) {
            String node = pod.path("spec").path("nodeName").asText("");
            if (node.isEmpty() || PendingPods.isFinished(pod)) {
                continue;
            }
            long cpu = 0;
            for (var container : pod.path("spec").path("containers")) {
                String request = container.path("resources").path("requests").path("cpu").asText("");
                if (!request.isEmpty()) {
                    cpu += Quantity.parse(request).milliValue();
                }
            }
            long total = cpu;
            placed.merge(node, new Placed(total, 1), (a, b) -> new Placed(a.milliCpu() + b.milliCpu(),
                    a.pods() + b.pods()));
        }
        return placed;
    }
}
