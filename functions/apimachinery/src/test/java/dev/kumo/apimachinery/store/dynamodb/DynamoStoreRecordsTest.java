package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.StoredRecord;
import dev.kumo.apimachinery.store.WatchEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static dev.kumo.apimachinery.store.dynamodb.Objects.MAPPER;
import static dev.kumo.apimachinery.store.dynamodb.Objects.configMap;
import static dev.kumo.apimachinery.store.dynamodb.Objects.key;
import static dev.kumo.apimachinery.store.dynamodb.Objects.valueOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoStoreRecordsTest {
    private static final ObjectKey RECORD = new ObjectKey("kumo.dev/tallies", "", "n1");

    private final DynamoStore store = LocalDynamo.store(LocalDynamo.freshTables());

    private static ObjectNode tally(int count) {
        return MAPPER.createObjectNode().put("count", count);
    }

    @Test
    void aRecordIsWrittenOnlyAtTheVersionItWasReadAt() {
        assertThat(store.getRecord(RECORD)).isEmpty();
        StoredRecord first = store.putRecord(new StoredRecord.Write(RECORD, tally(1), 0));
        assertThat(first.version()).isEqualTo(1);

        assertThatThrownBy(() -> store.putRecord(new StoredRecord.Write(RECORD, tally(9), 0)))
                .isInstanceOfSatisfying(StoreException.Conflict.class, c -> {
                    assertThat(c.key).isEqualTo(RECORD);
                    assertThat(c.actual).isEqualTo(1);
                });
        store.putRecord(new StoredRecord.Write(RECORD, tally(2), 1));
        assertThatThrownBy(() -> store.putRecord(new StoredRecord.Write(RECORD, tally(9), 1)))
                .isInstanceOf(StoreException.Conflict.class);

        StoredRecord read = store.getRecord(RECORD).orElseThrow();
        assertThat(read.version()).isEqualTo(2);
        assertThat(read.value().path("count").asInt()).isEqualTo(2);
    }

    @Test
    void anUpdateWithARecordWritesBothInOneTransaction() {
        StoredObject created = store.create(key("ns", "a"), configMap("ns", "a", "1"));

        StoredObject updated = store.update(key("ns", "a"), configMap("ns", "a", "2"), created.revision(),
                new StoredRecord.Write(RECORD, tally(1), 0));

        assertThat(valueOf(store.get(key("ns", "a")).orElseThrow().value())).isEqualTo("2");
        assertThat(store.getRecord(RECORD).orElseThrow().value().path("count").asInt()).isEqualTo(1);
        // The record takes no revision of its own and is no object: the update is the only change after the create.
        assertThat(store.watch("configmaps", created.revision(), Duration.ZERO).events())
                .extracting(WatchEvent::revision).containsExactly(updated.revision());
        assertThat(store.list("configmaps", ListOptions.all("ns")).items()).hasSize(1);
    }

    @Test
    void aRecordThatMovedOnFailsTheUpdateAndTheObjectStaysAsItWas() {
        StoredObject created = store.create(key("ns", "a"), configMap("ns", "a", "1"));
        store.putRecord(new StoredRecord.Write(RECORD, tally(1), 0));

        assertThatThrownBy(() -> store.update(key("ns", "a"), configMap("ns", "a", "2"), created.revision(),
                new StoredRecord.Write(RECORD, tally(2), 0)))
                .isInstanceOfSatisfying(StoreException.Conflict.class, c -> {
                    assertThat(c.key).isEqualTo(RECORD);
                    assertThat(c.expected).isZero();
                    assertThat(c.actual).isEqualTo(1);
                });

        StoredObject current = store.get(key("ns", "a")).orElseThrow();
        assertThat(current.revision()).isEqualTo(created.revision());
        assertThat(valueOf(current.value())).isEqualTo("1");
        assertThat(store.getRecord(RECORD).orElseThrow().value().path("count").asInt()).isEqualTo(1);
        // The revision the failed write took is given back: a watch sees no change.
        assertThat(store.watch("configmaps", created.revision(), Duration.ZERO).events()).isEmpty();
    }

    @Test
    void anObjectThatMovedOnFailsTheUpdateAndTheRecordIsNotWritten() {
        StoredObject created = store.create(key("ns", "a"), configMap("ns", "a", "1"));
        store.update(key("ns", "a"), configMap("ns", "a", "2"), created.revision());

        assertThatThrownBy(() -> store.update(key("ns", "a"), configMap("ns", "a", "3"), created.revision(),
                new StoredRecord.Write(RECORD, tally(1), 0)))
                .isInstanceOfSatisfying(StoreException.Conflict.class, c -> assertThat(c.key).isEqualTo(key("ns", "a")));
        assertThat(store.getRecord(RECORD)).isEmpty();
    }
}
