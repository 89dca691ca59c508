package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.replicaset.OwnerReferences;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.replicaset.Workloads;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.testing.TestCluster;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;

/** One namespace with the deployment loop, and the steps a test takes: write objects, sync, read back. */
final class DeploymentFixture {
    final MutableClock clock = new MutableClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    final KubeClient admin;
    final ControlLoop loop;
    final String namespace;

    DeploymentFixture(TestCluster cluster, String prefix) {
        this.admin = cluster.admin();
        this.loop = DeploymentController.loop(cluster.controllerContext(DeploymentController.COMPONENT, clock));
        this.namespace = Workloads.namespace(admin, prefix);
    }

    /** A deployment of {@code image} selecting {@code app=<name>}, with the strategy's JSON (or null). */
    static ObjectNode deployment(String name, int replicas, String image, String strategy) {
        return TestCluster.object("""
                {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"%s"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}}%s,
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"c","image":"%s"}]}}}}"""
                .formatted(name, replicas, name, strategy == null ? "" : ",\"strategy\":" + strategy, name, image));
    }

    ObjectNode create(ObjectNode deployment) {
        return admin.create(ResourceType.DEPLOYMENTS, namespace, deployment);
    }

    Result sync(String name) throws Exception {
        return loop.reconciler().reconcile(new ObjectKey("apps/deployments", namespace, name));
    }

    ObjectNode get(String name) {
        return admin.get(ResourceType.DEPLOYMENTS, namespace, name).orElseThrow();
    }

    /** Applies a merge patch to the deployment (kubectl set image, scale, pause...). */
    ObjectNode patch(String name, String patch) {
        return admin.mergePatch(ResourceType.DEPLOYMENTS, namespace, name, "", TestCluster.object(patch));
    }

    /**
     * A rolled-out deployment: created and synced, its one replica set settled at full size and all available, and
     * synced again; returns that replica set.
     */
    ObjectNode createSettled(ObjectNode deployment) throws Exception {
        create(deployment);
        String name = Meta.name(deployment);
        sync(name);
        settleAll(name);
        sync(name);
        return replicaSets(name).get(0);
    }

    /** Sets the image of the template's container {@code c}, as {@code kubectl set image}: a new template. */
    ObjectNode setImage(String name, String image) {
        return patch(name, """
                {"spec":{"template":{"spec":{"containers":[{"name":"c","image":"%s"}]}}}}""".formatted(image));
    }

    /** {@code rounds} times: a sync, then every replica set settled at its size (the pods come up at once). */
    void syncAndSettle(String name, int rounds) throws Exception {
        for (int i = 0; i < rounds; i++) {
            sync(name);
            settleAll(name);
        }
    }

    /** The deployment's replica sets, oldest first. */
    List<ObjectNode> replicaSets(String deployment) {
        String uid = Meta.uid(get(deployment));
        return admin.list(ResourceType.REPLICA_SETS, namespace, "", "").stream()
                .filter(rs -> OwnerReferences.isControlledBy(rs, uid))
                .sorted(Comparator.comparing((ObjectNode rs) -> rs.path("metadata").path("creationTimestamp").asText())
                        .thenComparing(rs -> Long.parseLong(
                                rs.path("metadata").path("annotations").path(ReplicaSets.REVISION).asText("0"))))
                .toList();
    }

    ObjectNode replicaSet(String name) {
        return admin.get(ResourceType.REPLICA_SETS, namespace, name).orElseThrow();
    }

    /** Writes a replica set's status as its controller would for {@code ready} ready and {@code available} pods. */
    ObjectNode settle(ObjectNode rs, int replicas, int ready, int available) {
        ObjectNode fresh = replicaSet(Meta.name(rs));
        ObjectNode status = fresh.putObject("status").put("replicas", replicas).put("readyReplicas", ready)
                .put("availableReplicas", available)
                .put("observedGeneration", fresh.path("metadata").path("generation").asLong());
        status.put("fullyLabeledReplicas", replicas);
        return admin.updateStatus(ResourceType.REPLICA_SETS, fresh);
    }

    /** Settles every replica set of the deployment at its spec size, all available. */
    void settleAll(String deployment) {
        for (ObjectNode rs : replicaSets(deployment)) {
            int replicas = rs.path("spec").path("replicas").asInt();
            settle(rs, replicas, replicas, replicas);
        }
    }

    /** The status condition {@code type}, or an empty object when there is none. */
    static JsonNode condition(JsonNode object, String type) {
        return dev.kumo.controllers.status.Conditions.find(object, type).orElseGet(() -> TestCluster.object("{}"));
    }

    List<String> events(String name) {
        return Workloads.events(admin, namespace, name);
    }

    static int replicas(JsonNode rs) {
        return rs.path("spec").path("replicas").asInt();
    }

    static String annotation(JsonNode object, String key) {
        return object.path("metadata").path("annotations").path(key).asText(null);
    }
}
