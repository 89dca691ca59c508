package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import org.junit.jupiter.api.Test;

import static dev.kumo.apimachinery.store.dynamodb.Objects.configMap;
import static dev.kumo.apimachinery.store.dynamodb.Objects.key;
import static dev.kumo.apimachinery.store.dynamodb.Objects.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoStoreCrudTest {
    private final DynamoStore store = LocalDynamo.store(LocalDynamo.freshTables());

    @Test
    void createSetsResourceVersionAndGetReturnsTheSameObject() {
        StoredObject created = store.create(key("ns", "a"), configMap("ns", "a", "1"));

        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.value().at("/metadata/resourceVersion").asText()).isEqualTo("1");
        assertThat(store.get(key("ns", "a")).orElseThrow().value()).isEqualTo(created.value());
    }

    @Test
    void createOfAnExistingKeyFailsAndLeavesTheObjectAlone() {
        store.create(key("ns", "a"), configMap("ns", "a", "first"));

        assertThatThrownBy(() -> store.create(key("ns", "a"), configMap("ns", "a", "second")))
                .isInstanceOf(StoreException.AlreadyExists.class);
        assertThat(valueOf(store.get(key("ns", "a")).orElseThrow().value())).isEqualTo("first");
    }

    @Test
    void updateWithAStaleRevisionConflicts() {
        StoredObject created = store.create(key("ns", "a"), configMap("ns", "a", "1"));
        StoredObject updated = store.update(key("ns", "a"), configMap("ns", "a", "2"), created.revision());

        assertThat(updated.revision()).isGreaterThan(created.revision());
        assertThatThrownBy(() -> store.update(key("ns", "a"), configMap("ns", "a", "3"), created.revision()))
                .isInstanceOfSatisfying(StoreException.Conflict.class,
                        conflict -> assertThat(conflict.actual).isEqualTo(updated.revision()));
        assertThat(valueOf(store.get(key("ns", "a")).orElseThrow().value())).isEqualTo("2");
    }

    @Test
    void updateOfAMissingObjectIsNotFound() {
        assertThatThrownBy(() -> store.update(key("ns", "missing"), configMap("ns", "missing", "x"), 1))
                .isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void deleteReturnsTheLastStateAtTheDeletionRevision() {
        StoredObject created = store.create(key("ns", "a"), configMap("ns", "a", "1"));

        StoredObject deleted = store.delete(key("ns", "a"), created.revision());

        assertThat(deleted.revision()).isGreaterThan(created.revision());
        assertThat(deleted.value().at("/metadata/resourceVersion").asText())
                .isEqualTo(Long.toString(deleted.revision()));
        assertThat(valueOf(deleted.value())).isEqualTo("1");
        assertThat(store.get(key("ns", "a"))).isEmpty();
        assertThatThrownBy(() -> store.delete(key("ns", "a"), 0)).isInstanceOf(StoreException.NotFound.class);
    }

    @Test
    void deleteWithAStaleRevisionConflicts() {
        StoredObject created = store.create(key("ns", "a"), configMap("ns", "a", "1"));
        store.update(key("ns", "a"), configMap("ns", "a", "2"), created.revision());

        assertThatThrownBy(() -> store.delete(key("ns", "a"), created.revision()))
                .isInstanceOf(StoreException.Conflict.class);
        assertThat(store.get(key("ns", "a"))).isPresent();
    }

    @Test
    void revisionsArePerResource() {
        store.create(key("ns", "a"), configMap("ns", "a", "1"));
        StoredObject secret = store.create(new ObjectKey("secrets", "ns", "a"), configMap("ns", "a", "1"));

        assertThat(secret.revision()).isEqualTo(1);
        assertThat(store.currentRevision("configmaps")).isEqualTo(1);
    }
}
