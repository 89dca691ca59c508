package dev.kumo.controllers.nodelifecycle;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class NodeLifecycleKeysTest {
    @Test
    void nodesAndTheirLeasesMapToTheNode() {
        record Row(WatchEvent.Type type, ObjectKey key, List<ObjectKey> expected) {
        }
        ObjectKey node = ObjectKey.cluster("nodes", "n1");
        ObjectKey lease = new ObjectKey("coordination.k8s.io/leases", "kube-node-lease", "n1");
        List<Row> table = List.of(
                new Row(WatchEvent.Type.ADDED, node, List.of(node)),
                new Row(WatchEvent.Type.MODIFIED, node, List.of(node)),
                new Row(WatchEvent.Type.DELETED, node, List.of()),
                new Row(WatchEvent.Type.ADDED, lease, List.of(node)),
                new Row(WatchEvent.Type.DELETED, lease, List.of(node)),
                new Row(WatchEvent.Type.MODIFIED, lease, List.of()),
                new Row(WatchEvent.Type.ADDED, new ObjectKey("coordination.k8s.io/leases", "default", "n1"),
                        List.of()),
                new Row(WatchEvent.Type.MODIFIED, new ObjectKey("pods", "default", "p"), List.of()));
        NodeLifecycleKeys keys = new NodeLifecycleKeys();
        for (Row row : table) {
            assertThat(keys.keysFor(new WatchEvent(row.type(), 5, row.key(), TestCluster.object("{}"), 4)))
                    .as(row.type() + " " + row.key()).isEqualTo(row.expected());
        }
    }
}
