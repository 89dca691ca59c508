package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeploymentKeysTest {
    private final DeploymentKeys keys = new DeploymentKeys();

    private static WatchEvent change(WatchEvent.Type type, String resource, String name, String json) {
        return new WatchEvent(type, 3, new ObjectKey(resource, "ns", name), TestCluster.object(json), 2);
    }

    @Test
    void aDeploymentMapsToItself() {
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "apps/deployments", "web",
                "{\"metadata\":{\"name\":\"web\"}}"))).containsExactly(new ObjectKey("apps/deployments", "ns", "web"));
    }

    @Test
    void aReplicaSetMapsToTheDeploymentThatControlsIt() {
        String owned = """
                {"metadata":{"name":"web-abc","ownerReferences":[
                  {"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"1","controller":true}]}}""";
        for (WatchEvent.Type type : WatchEvent.Type.values()) {
            assertThat(keys.keysFor(change(type, "apps/replicasets", "web-abc", owned)))
                    .containsExactly(new ObjectKey("apps/deployments", "ns", "web"));
        }
        assertThat(keys.keysFor(change(WatchEvent.Type.ADDED, "apps/replicasets", "x", """
                {"metadata":{"name":"x","ownerReferences":[
                  {"apiVersion":"example.com/v1","kind":"Rollout","name":"r","uid":"1","controller":true}]}}""")))
                .isEmpty();
    }

    @Test
    void anOrphanReplicaSetMapsToTheOrphanKeyUnlessItIsGoing() {
        assertThat(keys.keysFor(change(WatchEvent.Type.ADDED, "apps/replicasets", "stray",
                "{\"metadata\":{\"name\":\"stray\"}}")))
                .containsExactly(DeploymentKeys.orphanReplicaSetKey("ns", "stray"));
        assertThat(keys.keysFor(change(WatchEvent.Type.DELETED, "apps/replicasets", "stray",
                "{\"metadata\":{\"name\":\"stray\"}}"))).isEmpty();
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "apps/replicasets", "stray",
                "{\"metadata\":{\"name\":\"stray\",\"deletionTimestamp\":\"2024-01-01T00:00:00Z\"}}"))).isEmpty();
    }

    @Test
    void aDeletedPodOfADeploymentsReplicaSetMapsToTheDeployment() {
        String pod = """
                {"metadata":{"name":"my-app-7d9f-x2k4q","labels":{"pod-template-hash":"7d9f"},"ownerReferences":[
                  {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"my-app-7d9f","uid":"1","controller":true}]}}""";

        assertThat(keys.keysFor(change(WatchEvent.Type.DELETED, "pods", "my-app-7d9f-x2k4q", pod)))
                .containsExactly(new ObjectKey("apps/deployments", "ns", "my-app"));
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "pods", "my-app-7d9f-x2k4q", pod))).isEmpty();
        ObjectNode bare = TestCluster.object("""
                {"metadata":{"name":"p","ownerReferences":[
                  {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"plain","uid":"1","controller":true}]}}""");
        assertThat(keys.keysFor(new WatchEvent(WatchEvent.Type.DELETED, 3, new ObjectKey("pods", "ns", "p"), bare, 2)))
                .as("a replica set of no deployment").isEmpty();
    }
}
