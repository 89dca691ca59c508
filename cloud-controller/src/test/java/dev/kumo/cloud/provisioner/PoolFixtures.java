package dev.kumo.cloud.provisioner;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.cloud.Instance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Pools, nodes and pods as the tests need them, written through the real API as the cluster admin. */
public final class PoolFixtures {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final KubeClient admin;

    public PoolFixtures(KubeClient admin) {
        this.admin = admin;
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) MAPPER.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ObjectNode pool(String name, String type, int min, int max, String extraSpec) {
        return admin.create(ResourceType.NODE_POOLS, "", json("""
                {"apiVersion":"kumo.dev/v1alpha1","kind":"NodePool","metadata":{"name":"%s"},
                 "spec":{"instanceTypes":["%s"],"minSize":%d,"maxSize":%d%s}}""".formatted(name, type, min, max,
                extraSpec.isEmpty() ? "" : "," + extraSpec)));
    }

    public void namespace(String name) {
        admin.create(ResourceType.NAMESPACES, "", json("""
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}""".formatted(name)));
    }

    /** A Ready node as the instance's agent would register it (with the pool label), created at {@code now}. */
    public ObjectNode nodeOf(Instance instance, Instant now, String cpu) {
        ObjectNode node = json("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{"kumo.dev/node-pool":"%s",
                 "kubernetes.io/hostname":"%s","kubernetes.io/os":"linux"}},
                 "spec":{"providerID":"%s"},
                 "status":{"capacity":{"cpu":"%s","memory":"4Gi","pods":"110"},
                  "allocatable":{"cpu":"%s","memory":"4Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"True","lastHeartbeatTime":"%s",
                   "lastTransitionTime":"%s"}]}}""".formatted(instance.nodeName(), instance.nodePool(),
                instance.nodeName(), instance.providerId(), cpu, cpu, now, now));
        return admin.create(ResourceType.NODES, "", node);
    }

    /** A pod requesting {@code cpu}, bound to {@code node} (or pending when null). */
    public ObjectNode pod(String namespace, String name, String node, String cpu, String extraSpec) {
        return admin.create(ResourceType.PODS, namespace, json("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{%s"containers":[{"name":"c","image":"busybox",
                  "resources":{"requests":{"cpu":"%s","memory":"100Mi"}}}]%s}}""".formatted(name,
                node == null ? "" : "\"nodeName\":\"" + node + "\",", cpu,
                extraSpec.isEmpty() ? "" : "," + extraSpec)));
    }

    /** A pending pod the scheduler found no node for: PodScheduled False, reason Unschedulable. */
    public ObjectNode unschedulablePod(String namespace, String name, String cpu, String extraSpec) {
        ObjectNode pod = pod(namespace, name, null, cpu, extraSpec);
        pod.putObject("status").put("phase", "Pending").putArray("conditions").addObject()
                .put("type", "PodScheduled").put("status", "False").put("reason", "Unschedulable")
                .put("message", "0/0 nodes are available.");
        return admin.updateStatus(ResourceType.PODS, pod);
    }
}
