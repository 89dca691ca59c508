package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.WatchBatch;
import dev.kumo.apimachinery.store.WatchEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static dev.kumo.apimachinery.store.dynamodb.Objects.configMap;
import static dev.kumo.apimachinery.store.dynamodb.Objects.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DynamoStoreWatchTest {
    private final StoreTables tables = LocalDynamo.freshTables();
    private final DynamoStore store = LocalDynamo.store(tables);

    @Test
    void watchFromAListRevisionDeliversEveryLaterChangeInOrder() {
        StoredObject a = store.create(key("ns", "a"), configMap("ns", "a", "1"));
        long listed = store.list("configmaps", ListOptions.all("")).revision();

        store.update(key("ns", "a"), configMap("ns", "a", "2"), a.revision());
        store.create(key("ns", "b"), configMap("ns", "b", "1"));
        store.delete(key("ns", "a"), 0);

        List<WatchEvent> events = drain(listed, 3);
        assertThat(events).extracting(WatchEvent::type).containsExactly(
                WatchEvent.Type.MODIFIED, WatchEvent.Type.ADDED, WatchEvent.Type.DELETED);
        assertThat(events).extracting(e -> e.key().name()).containsExactly("a", "b", "a");
        assertThat(events.get(2).previousRevision()).isEqualTo(events.get(0).revision());
        assertThat(events).allSatisfy(e -> assertThat(e.object().at("/metadata/resourceVersion").asText())
                .isEqualTo(Long.toString(e.revision())));
    }

    @Test
    void aWatchWaitsForAWriteAndReturnsEmptyWhenNothingHappens() {
        long now = store.currentRevision("configmaps");

        WatchBatch nothing = store.watch("configmaps", now, Duration.ofMillis(150));

        assertThat(nothing.events()).isEmpty();
        assertThat(nothing.throughRevision()).isEqualTo(now);
    }

    @Test
    void aRevisionAllocatedByAWriterThatDiedIsFilledAndLaterEventsFlow() {
        RevisionCounter counter = new RevisionCounter(LocalDynamo.client(), tables.objects());
        long dead = counter.allocate("configmaps"); // taken, never written: a crashed writer
        store.create(key("ns", "after"), configMap("ns", "after", "1"));

        List<WatchEvent> events = drain(dead - 1, 1);

        assertThat(events).extracting(e -> e.key().name()).containsExactly("after");
        assertThat(store.list("configmaps", ListOptions.all("")).revision()).isEqualTo(dead + 1);
    }

    @Test
    void aLateWriterWhoseRevisionWasFilledRetriesWithANewRevision() {
        RevisionCounter counter = new RevisionCounter(LocalDynamo.client(), tables.objects());
        EventLog log = new EventLog(LocalDynamo.client(), tables.log());
        long stolen = counter.allocate("configmaps");
        assertThat(log.fill("configmaps", stolen, 0)).isTrue();
        // The next create finds the counter already moved past `stolen`; we check it never lands below a filler.
        StoredObject created = store.create(key("ns", "x"), configMap("ns", "x", "1"));

        assertThat(created.revision()).isGreaterThan(stolen);
        assertThat(drain(stolen - 1, 1)).extracting(WatchEvent::revision).containsExactly(created.revision());
    }

    @Test
    void compactionMakesOlderRevisionsGoneButKeepsListsWorking() {
        StoredObject a = store.create(key("ns", "a"), configMap("ns", "a", "1"));
        store.create(key("ns", "b"), configMap("ns", "b", "1"));
        long middle = store.currentRevision("configmaps");
        store.update(key("ns", "a"), configMap("ns", "a", "2"), a.revision());
        store.delete(key("ns", "b"), 0);
        long head = store.currentRevision("configmaps");

        store.compact("configmaps", head);

        assertThatThrownBy(() -> store.watch("configmaps", middle, Duration.ZERO))
                .isInstanceOf(StoreException.Expired.class);
        assertThatThrownBy(() -> store.list("configmaps", new ListOptions("", 0, null, middle, null)))
                .isInstanceOf(StoreException.Expired.class);
        assertThat(DynamoStoreListTest.names(store.list("configmaps", ListOptions.all("")).items()))
                .containsExactly("ns/a");
        // Superseded versions and tombstones are gone; the latest version of "a" stays in the log.
        EventLog log = new EventLog(LocalDynamo.client(), tables.log());
        assertThat(log.readAfter("configmaps", 0, Long.MAX_VALUE, 100))
                .extracting(LogEntry::revision).containsExactly(head - 1);
        StoredObject b2 = store.create(key("ns", "b"), configMap("ns", "b", "again"));
        assertThat(drain(head, 1)).extracting(WatchEvent::revision).containsExactly(b2.revision());
    }

    @Test
    void largeIncompressibleValuesAreChunkedAndComeBackIdentical() {
        byte[] random = new byte[1024 * 1024];
        new Random(42).nextBytes(random);
        String big = java.util.Base64.getEncoder().encodeToString(random); // ~1.4 MB of JSON
        long before = store.currentRevision("configmaps");

        StoredObject created = store.create(key("ns", "big"), configMap("ns", "big", big));
        StoredObject read = store.get(key("ns", "big")).orElseThrow();
        StoredObject updated = store.update(key("ns", "big"), configMap("ns", "big", big + "!"), created.revision());

        assertThat(read.value()).isEqualTo(created.value());
        assertThat(store.list("configmaps", ListOptions.all("ns")).items().get(0).value())
                .isEqualTo(updated.value());
        assertThat(drain(before, 2)).extracting(e -> e.object()).containsExactly(created.value(), updated.value());

        store.delete(key("ns", "big"), 0);
        store.compact("configmaps", store.currentRevision("configmaps"));
        long chunkItems = LocalDynamo.client().scan(b -> b.tableName(tables.objects())).items().stream()
                .filter(item -> item.get(Attr.RESOURCE).s().startsWith("~chunk/")).count();
        assertThat(chunkItems).isZero();
    }

    private List<WatchEvent> drain(long after, int expected) {
        List<WatchEvent> events = new ArrayList<>();
        long cursor = after;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (events.size() < expected && System.nanoTime() < deadline) {
            WatchBatch batch = store.watch("configmaps", cursor, Duration.ofMillis(500));
            events.addAll(batch.events());
            cursor = batch.throughRevision();
        }
        return events;
    }
}
