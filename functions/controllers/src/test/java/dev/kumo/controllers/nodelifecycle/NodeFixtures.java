package dev.kumo.controllers.nodelifecycle;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.TestCluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Nodes, leases and pods as a kubelet would leave them, written by the admin. */
final class NodeFixtures {
    private final KubeClient admin;

    NodeFixtures(KubeClient admin) {
        this.admin = admin;
        if (admin.get(ResourceType.NAMESPACES, "", "kube-node-lease").isEmpty()) {
            admin.create(ResourceType.NAMESPACES, "", TestCluster.object(
                    "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kube-node-lease\"}}"));
        }
    }

    /** A node whose kubelet posted {@code ready} at {@code heartbeat} (no Ready condition when ready is null). */
    ObjectNode node(String name, String ready, Instant heartbeat, String extraSpec) {
        ObjectNode node = admin.create(ResourceType.NODES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                        + extraSpec + "}}"));
        if (ready == null) {
            return node;
        }
        String time = heartbeat.truncatedTo(ChronoUnit.SECONDS).toString();
        StringBuilder conditions = new StringBuilder();
        for (String[] c : new String[][]{{"MemoryPressure", "False"}, {"DiskPressure", "False"},
                {"PIDPressure", "False"}, {"Ready", ready}}) {
            conditions.append(conditions.isEmpty() ? "" : ",").append("{\"type\":\"").append(c[0])
                    .append("\",\"status\":\"").append(c[1]).append("\",\"lastHeartbeatTime\":\"").append(time)
                    .append("\",\"lastTransitionTime\":\"").append(time).append("\",\"reason\":\"Kubelet")
                    .append(c[0]).append("\",\"message\":\"kubelet says so\"}");
        }
        node.set("status", TestCluster.object("{\"conditions\":[" + conditions + "]}"));
        return admin.updateStatus(ResourceType.NODES, node);
    }

    void lease(String node, Instant renewed) {
        admin.create(ResourceType.LEASES, "kube-node-lease", TestCluster.object(
                "{\"apiVersion\":\"coordination.k8s.io/v1\",\"kind\":\"Lease\",\"metadata\":{\"name\":\"" + node
                        + "\"},\"spec\":{\"holderIdentity\":\"" + node + "\",\"leaseDurationSeconds\":40,"
                        + "\"renewTime\":\"" + renewed.truncatedTo(ChronoUnit.MICROS) + "\"}}"));
    }

    /** A running, ready pod bound to {@code node}, with extra tolerations (the API adds the default ones). */
    ObjectNode pod(String namespace, String name, String node, String tolerations) {
        ObjectNode pod = admin.create(ResourceType.PODS, namespace, TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"" + name + "\"},\"spec\":{"
                        + "\"nodeName\":\"" + node + "\",\"tolerations\":" + tolerations + ","
                        + "\"containers\":[{\"name\":\"c\",\"image\":\"nginx\"}]}}"));
        pod.set("status", TestCluster.object("{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\","
                + "\"status\":\"True\",\"lastTransitionTime\":\"2025-01-01T00:00:00Z\"}]}"));
        return admin.updateStatus(ResourceType.PODS, pod);
    }

    void namespace(String name) {
        admin.create(ResourceType.NAMESPACES, "", TestCluster.object(
                "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"" + name + "\"}}"));
    }
}
