package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.testing.TestCluster;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** Objects for the workload controllers' tests, written as the API takes them. */
public final class Workloads {
    private static final AtomicInteger NAMESPACES = new AtomicInteger();

    private Workloads() {
    }

    /** A fresh namespace, so that tests sharing a cluster do not see each other's pods. */
    public static String namespace(KubeClient admin, String prefix) {
        String name = prefix + "-" + NAMESPACES.incrementAndGet();
        admin.create(ResourceType.NAMESPACES, "", TestCluster.object("""
                {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"%s"}}""".formatted(name)));
        return name;
    }

    /** A replica set selecting {@code app=<app>} with a one-container template labelled the same. */
    public static ObjectNode replicaSet(String name, int replicas, String app) {
        return TestCluster.object("""
                {"apiVersion":"apps/v1","kind":"ReplicaSet","metadata":{"name":"%s"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s","tier":"web"},"annotations":{"note":"from-template"}},
                   "spec":{"containers":[{"name":"c","image":"nginx"}]}}}}"""
                .formatted(name, replicas, app, app));
    }

    /** A bare pod labelled {@code app=<app>}. */
    public static ObjectNode pod(String name, String app) {
        return TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":{"app":"%s","tier":"web"}},
                 "spec":{"containers":[{"name":"c","image":"nginx"}]}}""".formatted(name, app));
    }

    /** Sets a pod's phase and readiness (as a kubelet would), ready since {@code readySince} when ready. */
    public static ObjectNode setStatus(KubeClient admin, ObjectNode pod, String phase, boolean ready,
                                       Instant readySince) {
        ObjectNode fresh = admin.get(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod)).orElseThrow();
        ObjectNode status = fresh.putObject("status").put("phase", phase);
        status.putArray("conditions").addObject().put("type", "Ready").put("status", ready ? "True" : "False")
                .put("lastTransitionTime", Times.format(readySince));
        return admin.updateStatus(ResourceType.PODS, fresh);
    }

    /** Binds a pod to a node name, as the scheduler's binding would. */
    public static ObjectNode bind(KubeClient admin, ObjectNode pod, String node) {
        ObjectNode binding = TestCluster.object("""
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"%s"},
                 "target":{"apiVersion":"v1","kind":"Node","name":"%s"}}""".formatted(Meta.name(pod), node));
        admin.createSubresource(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod), "binding", binding);
        return admin.get(ResourceType.PODS, Meta.namespace(pod), Meta.name(pod)).orElseThrow();
    }

    public static List<ObjectNode> pods(KubeClient admin, String namespace) {
        return admin.list(ResourceType.PODS, namespace, "", "");
    }

    /** How many times events of {@code reason} were recorded about an object (their counts added up). */
    public static int eventCount(KubeClient admin, String namespace, String involvedName, String reason) {
        return admin.list(ResourceType.EVENTS, namespace, "", "involvedObject.name=" + involvedName).stream()
                .filter(e -> e.path("reason").asText().equals(reason))
                .mapToInt(e -> e.path("count").asInt(1))
                .sum();
    }

    /** The events recorded about an object, by reason and message. */
    public static List<String> events(KubeClient admin, String namespace, String involvedName) {
        return admin.list(ResourceType.EVENTS, namespace, "", "involvedObject.name=" + involvedName).stream()
                .map(e -> e.path("reason").asText() + ": " + e.path("message").asText())
                .sorted()
                .toList();
    }
}
