package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class GarbageCollectorKeysTest {
    private static final ObjectKey POD = new ObjectKey("pods", "web", "web-1");
    private static final String OWNED = """
            {"metadata":{"name":"web-1","namespace":"web","uid":"p1",
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1"}]}}""";
    private static final String PLAIN = "{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"web\",\"uid\":\"p1\"}}";
    private static final String FOREGROUND = """
            {"metadata":{"name":"web-1","namespace":"web","uid":"p1","deletionTimestamp":"2025-01-01T00:00:00Z",
             "finalizers":["foregroundDeletion"]}}""";
    private static final String ORPHAN = """
            {"metadata":{"name":"web-1","namespace":"web","uid":"p1","deletionTimestamp":"2025-01-01T00:00:00Z",
             "finalizers":["orphan","example.com/other"]}}""";
    private static final String TERMINATING = """
            {"metadata":{"name":"web-1","namespace":"web","uid":"p1","deletionTimestamp":"2025-01-01T00:00:00Z",
             "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1"}]}}""";

    private final GarbageCollectorKeys keys = new GarbageCollectorKeys();

    @Test
    void mapsChangesToTheKeysTheCollectorMustLookAt() {
        record Row(WatchEvent.Type type, ObjectKey key, String object, List<ObjectKey> expected) {
        }
        ObjectKey node = ObjectKey.cluster("nodes", "n1");
        List<Row> table = List.of(
                new Row(WatchEvent.Type.DELETED, POD, PLAIN, List.of(GarbageCollectorKeys.sweep("web"))),
                new Row(WatchEvent.Type.DELETED, POD, OWNED, List.of(GarbageCollectorKeys.sweep("web"))),
                new Row(WatchEvent.Type.DELETED, node, "{\"metadata\":{\"name\":\"n1\"}}",
                        List.of(GarbageCollectorKeys.sweep(""))),
                new Row(WatchEvent.Type.DELETED, new ObjectKey("events", "web", "e1"), PLAIN, List.of()),
                new Row(WatchEvent.Type.ADDED, POD, OWNED, List.of(POD)),
                new Row(WatchEvent.Type.ADDED, POD, PLAIN, List.of()),
                new Row(WatchEvent.Type.MODIFIED, POD, OWNED, List.of()),
                new Row(WatchEvent.Type.MODIFIED, POD, FOREGROUND, List.of(POD)),
                new Row(WatchEvent.Type.MODIFIED, POD, ORPHAN, List.of(POD)),
                new Row(WatchEvent.Type.MODIFIED, POD, TERMINATING, List.of()));
        for (Row row : table) {
            ObjectNode object = TestCluster.object(row.object());
            assertThat(keys.keysFor(new WatchEvent(row.type(), 7, row.key(), object, 6)))
                    .as(row.type() + " " + row.object()).isEqualTo(row.expected());
        }
    }

    @Test
    void sweepsTheClusterOnceAnHour() throws Exception {
        Clock onTheHour = Clock.fixed(Instant.parse("2025-03-01T10:00:20Z"), ZoneOffset.UTC);
        Clock later = Clock.fixed(Instant.parse("2025-03-01T10:01:20Z"), ZoneOffset.UTC);

        assertThat(GarbageCollector.resync(onTheHour).keys()).containsExactly(GarbageCollectorKeys.sweep(""));
        assertThat(GarbageCollector.resync(later).keys()).isEmpty();
    }
}
