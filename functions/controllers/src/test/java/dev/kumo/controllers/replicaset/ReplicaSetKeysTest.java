package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ReplicaSetKeysTest {
    private final ReplicaSetKeys keys = new ReplicaSetKeys();

    private static WatchEvent change(WatchEvent.Type type, String resource, String name, ObjectNode object) {
        return new WatchEvent(type, 7, new ObjectKey(resource, "ns", name), object, 6);
    }

    private static ObjectNode pod(String ownerReferences, String deletionTimestamp) {
        return TestCluster.object("""
                {"metadata":{"name":"p","namespace":"ns","ownerReferences":%s%s}}"""
                .formatted(ownerReferences, deletionTimestamp == null ? ""
                        : ",\"deletionTimestamp\":\"" + deletionTimestamp + "\""));
    }

    @Test
    void aReplicaSetMapsToItself() {
        ObjectNode rs = TestCluster.object("{\"metadata\":{\"name\":\"web\",\"namespace\":\"ns\"}}");
        for (WatchEvent.Type type : WatchEvent.Type.values()) {
            assertThat(keys.keysFor(change(type, "apps/replicasets", "web", rs)))
                    .containsExactly(new ObjectKey("apps/replicasets", "ns", "web"));
        }
    }

    @Test
    void aPodMapsToItsControllingReplicaSetWhateverHappened() {
        ObjectNode owned = pod("""
                [{"apiVersion":"v1","kind":"ConfigMap","name":"cm","uid":"1"},
                 {"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-abc","uid":"2","controller":true}]""",
                "2024-01-01T00:00:00Z");
        for (WatchEvent.Type type : WatchEvent.Type.values()) {
            assertThat(keys.keysFor(change(type, "pods", "p", owned)))
                    .containsExactly(new ObjectKey("apps/replicasets", "ns", "web-abc"));
        }
    }

    @Test
    void aPodOfAnotherKindOfControllerIsNotThisLoops() {
        ObjectNode job = pod("""
                [{"apiVersion":"batch/v1","kind":"Job","name":"j","uid":"2","controller":true}]""", null);
        ObjectNode foreignReplicaSet = pod("""
                [{"apiVersion":"example.com/v1","kind":"ReplicaSet","name":"x","uid":"3","controller":true}]""", null);

        assertThat(keys.keysFor(change(WatchEvent.Type.ADDED, "pods", "p", job))).isEmpty();
        assertThat(keys.keysFor(change(WatchEvent.Type.ADDED, "pods", "p", foreignReplicaSet))).isEmpty();
    }

    @Test
    void aLiveOrphanMapsToTheOrphanKeyAndADeletedOrDyingOneToNothing() {
        ObjectNode orphan = pod("[{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"name\":\"cm\",\"uid\":\"1\"}]", null);

        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "pods", "p", orphan)))
                .containsExactly(new ObjectKey("pods", "ns", "p"));
        assertThat(keys.keysFor(change(WatchEvent.Type.DELETED, "pods", "p", orphan))).isEmpty();
        assertThat(keys.keysFor(change(WatchEvent.Type.MODIFIED, "pods", "p", pod("[]", "2024-01-01T00:00:00Z"))))
                .isEmpty();
    }

    @Test
    void otherResourcesMapToNothing() {
        assertThat(keys.keysFor(change(WatchEvent.Type.ADDED, "services", "s",
                TestCluster.object("{\"metadata\":{\"name\":\"s\"}}")))).isEqualTo(List.of());
    }
}
