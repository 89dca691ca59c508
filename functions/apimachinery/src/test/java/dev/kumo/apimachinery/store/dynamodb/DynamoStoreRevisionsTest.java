package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.ObjectKey;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kumo.apimachinery.store.dynamodb.Objects.configMap;
import static org.assertj.core.api.Assertions.assertThat;

class DynamoStoreRevisionsTest {
    private final DynamoStore store = LocalDynamo.store(LocalDynamo.freshTables());

    @Test
    void revisionsOfSeveralResourcesAreReadTogether() {
        store.create(new ObjectKey("a", "ns", "x"), configMap("ns", "x", "1"));
        store.create(new ObjectKey("a", "ns", "y"), configMap("ns", "y", "1"));
        store.create(new ObjectKey("b", "ns", "x"), configMap("ns", "x", "1"));

        Map<String, Long> revisions = store.currentRevisions(List.of("a", "b", "never-written"));

        assertThat(revisions).containsExactly(Map.entry("a", 2L), Map.entry("b", 1L), Map.entry("never-written", 0L));
        assertThat(revisions.get("a")).isEqualTo(store.currentRevision("a"));
    }

    @Test
    void aWriteIsVisibleToTheNextRead() {
        assertThat(store.currentRevisions(List.of("a"))).containsEntry("a", 0L);

        store.create(new ObjectKey("a", "", "x"), configMap("", "x", "1"));

        assertThat(store.currentRevisions(List.of("a"))).containsEntry("a", 1L);
    }
}
