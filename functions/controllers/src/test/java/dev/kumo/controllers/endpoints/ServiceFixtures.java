package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.TestCluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/** Services, pods and nodes for the endpoints controllers' tests, written as the admin. */
public final class ServiceFixtures {
    /** The labels of the "web" pods, which the "web" service selects. */
    public static final String WEB = "{\"app\":\"web\"}";
    /** The container port of the "web" pods, which the "web" service targets by name. */
    public static final String HTTP = "[{\"name\":\"http\",\"containerPort\":8080}]";

    private final KubeClient admin;

    public ServiceFixtures(KubeClient admin) {
        this.admin = admin;
    }

    /** A fresh namespace, so that each case sees only its own objects. */
    public String namespace() {
        String name = "t-" + UUID.randomUUID().toString().substring(0, 8);
        admin.create(ResourceType.NAMESPACES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"));
        return name;
    }

    /** A service; {@code spec} is the JSON of its spec. */
    public ObjectNode service(String namespace, String name, String labels, String spec) {
        return admin.create(ResourceType.SERVICES, namespace, TestCluster.object("""
                {"apiVersion":"v1","kind":"Service","metadata":{"name":"%s","labels":%s},"spec":%s}"""
                .formatted(name, labels, spec)));
    }

    /**
     * The "web" service: labelled {@code tier=front}, selecting {@link #WEB}, port 80 to the pods' port
     * {@code http}; {@code extraSpec} is appended to its spec (empty, or starting with a comma).
     */
    public ObjectNode webService(String namespace, String extraSpec) {
        return service(namespace, "web", "{\"tier\":\"front\"}", """
                {"selector":{"app":"web"},"ports":[{"name":"http","port":80,"targetPort":"http"}]%s}"""
                .formatted(extraSpec));
    }

    public void node(String name, String zone) {
        ObjectNode node = TestCluster.object("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s","labels":{}},
                 "status":{"capacity":{"cpu":"4","memory":"8Gi","pods":"110"},
                           "allocatable":{"cpu":"4","memory":"8Gi","pods":"110"}}}""".formatted(name));
        if (!zone.isEmpty()) {
            ((ObjectNode) node.path("metadata").path("labels")).put("topology.kubernetes.io/zone", zone);
        }
        if (admin.get(ResourceType.NODES, "", name).isEmpty()) {
            admin.create(ResourceType.NODES, "", node);
        }
    }

    /** A pod on {@code node} (empty: unscheduled) whose container offers {@code ports} (JSON array). */
    public ObjectNode pod(String namespace, String name, String labels, String node, String ports) {
        ObjectNode pod = TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","labels":%s},
                 "spec":{"containers":[{"name":"c","image":"nginx","ports":%s}]}}"""
                .formatted(name, labels, ports));
        if (!node.isEmpty()) {
            ((ObjectNode) pod.path("spec")).put("nodeName", node);
        }
        return admin.create(ResourceType.PODS, namespace, pod);
    }

    /** A "web" pod ({@link #WEB}, {@link #HTTP}) on {@code node}, Running with {@code ip}, Ready as given. */
    public ObjectNode webPod(String namespace, String name, String node, String ip, boolean ready) {
        return running(pod(namespace, name, WEB, node, HTTP), ip, ready);
    }

    /** Sets the pod's status: Running with {@code ip}, Ready as given (changed at {@code readySince}). */
    public ObjectNode running(ObjectNode pod, String ip, boolean ready, Instant readySince) {
        ObjectNode current = admin.get(ResourceType.PODS, pod.path("metadata").path("namespace").asText(),
                pod.path("metadata").path("name").asText()).orElseThrow();
        ObjectNode status = current.putObject("status").put("phase", "Running").put("podIP", ip);
        status.putArray("podIPs").addObject().put("ip", ip);
        ArrayNode conditions = status.putArray("conditions");
        conditions.addObject().put("type", "Ready").put("status", ready ? "True" : "False")
                .put("lastTransitionTime", readySince.truncatedTo(ChronoUnit.SECONDS).toString());
        return admin.updateStatus(ResourceType.PODS, current);
    }

    public ObjectNode running(ObjectNode pod, String ip, boolean ready) {
        return running(pod, ip, ready, Instant.now());
    }

    /** Marks the pod Failed (terminal). */
    public ObjectNode failed(ObjectNode pod) {
        ObjectNode current = admin.get(ResourceType.PODS, pod.path("metadata").path("namespace").asText(),
                pod.path("metadata").path("name").asText()).orElseThrow();
        ((ObjectNode) current.path("status")).put("phase", "Failed");
        return admin.updateStatus(ResourceType.PODS, current);
    }
}
