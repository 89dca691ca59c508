package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.StoredRecord;
import dev.kumo.apimachinery.store.WatchBatch;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@link Store} on DynamoDB, after kine: a revision counter per resource, an append-only event log per
 * resource, and a table of current objects. A write takes a revision from the counter, then in one transaction
 * writes the object (conditioned on the revision it was based on) and the log event (conditioned on the revision
 * being unclaimed). A write that fails gives its revision back as a filler at once, so watchers never wait on it.
 */
public final class DynamoStore implements Store {
    private static final Logger LOG = LoggerFactory.getLogger(DynamoStore.class);
    private static final int MAX_REVISION_ATTEMPTS = 10;
    private static final int WATCH_READ_LIMIT = 500;

    /**
     * Tuning of the store.
     *
     * @param gapTimeout   how long a revision may stay allocated but invisible before readers fill it
     * @param pollInterval how often a waiting watcher re-reads the log when no write in this process woke it
     */
    public record Options(Duration gapTimeout, Duration pollInterval, Clock clock) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(1), Duration.ofMillis(500), Clock.systemUTC());
        }
    }

    private final DynamoDbClient dynamo;
    private final StoreTables tables;
    private final Options options;
    private final RevisionCounter counter;
    private final EventLog log;
    private final ValueItems values;
    private final Records records;
    private final ContiguousReader reader;
    private final WriteNotifier notifier = new WriteNotifier();
    private final Lister lister;
    private final Compactor compactor;
    /** Per resource, a revision below which this process has seen the log complete. */
    private final Map<String, Long> visibleThrough = new ConcurrentHashMap<>();

    public DynamoStore(DynamoDbClient dynamo, StoreTables tables, ObjectMapper mapper, Options options) {
        this(dynamo, tables, mapper, options, ResourceTransformers.NONE);
    }

    /** A store whose values go through {@code transformers} (encryption at rest) after compression. */
    public DynamoStore(DynamoDbClient dynamo, StoreTables tables, ObjectMapper mapper, Options options,
                       ResourceTransformers transformers) {
        this.dynamo = dynamo;
        this.tables = tables;
        this.options = options;
        this.counter = new RevisionCounter(dynamo, tables.objects());
        this.log = new EventLog(dynamo, tables.log());
        this.values = new ValueItems(dynamo, tables.objects(), new ValueCodec(mapper, transformers));
        this.records = new Records(dynamo, tables.objects(), mapper);
        this.reader = new ContiguousReader(log, options.clock(), options.gapTimeout());
        this.lister = new Lister(dynamo, tables.objects(), counter, log, values, this::ensureVisible);
        this.compactor = new Compactor(counter, log, values, dynamo, tables.objects(), this::ensureVisible);
    }

    @Override
    public StoredObject create(ObjectKey key, ObjectNode object) {
        for (int attempt = 1; attempt <= MAX_REVISION_ATTEMPTS; attempt++) {
            long revision = counter.allocate(key.resource());
            ObjectNode value = withResourceVersion(object, revision);
            ValueItems.Encoded encoded = values.encode(key, revision, value);
            Put objectPut = objectPut(key, revision, encoded)
                    .conditionExpression("attribute_not_exists(#k)")
                    .expressionAttributeNames(Map.of("#k", Attr.KEY))
                    .build();
            Outcome outcome = commit(key, revision, objectPut, null, "ADDED", 0, encoded);
            switch (outcome) {
                case COMMITTED -> {
                    return new StoredObject(key, revision, value);
                }
                case OBJECT_CONDITION_FAILED -> throw new StoreException.AlreadyExists(key);
                case REVISION_TAKEN -> LOG.atDebug().addKeyValue("object", key).addKeyValue("revision", revision)
                        .log("revision was filled before the write committed, retrying");
            }
        }
        throw new IllegalStateException("could not take a revision for " + key + " in " + MAX_REVISION_ATTEMPTS + " attempts");
    }

    @Override
    public StoredObject update(ObjectKey key, ObjectNode object, long expectedRevision) {
        return update(key, object, expectedRevision, null);
    }

    @Override
    public StoredObject update(ObjectKey key, ObjectNode object, long expectedRevision, StoredRecord.Write alongside) {
        Put recordPut = alongside == null ? null : records.put(alongside);
        for (int attempt = 1; attempt <= MAX_REVISION_ATTEMPTS; attempt++) {
            long revision = counter.allocate(key.resource());
            ObjectNode value = withResourceVersion(object, revision);
            ValueItems.Encoded encoded = values.encode(key, revision, value);
            Put objectPut = objectPut(key, revision, encoded)
                    .conditionExpression("#rv = :expected")
                    .expressionAttributeNames(Map.of("#rv", Attr.REVISION))
                    .expressionAttributeValues(Map.of(":expected", Attr.n(expectedRevision)))
                    .build();
            Outcome outcome = commit(key, revision, objectPut, null, "MODIFIED", expectedRevision, encoded, recordPut);
            switch (outcome) {
                case COMMITTED -> {
                    return new StoredObject(key, revision, value);
                }
                case OBJECT_CONDITION_FAILED -> throw conflictOrNotFound(key, expectedRevision);
                case RECORD_CONDITION_FAILED -> throw new StoreException.Conflict(alongside.key(),
                        alongside.expectedVersion(), records.version(alongside.key()));
                case REVISION_TAKEN -> LOG.atDebug().addKeyValue("object", key).addKeyValue("revision", revision)
                        .log("revision was filled before the write committed, retrying");
            }
        }
        throw new IllegalStateException("could not take a revision for " + key + " in " + MAX_REVISION_ATTEMPTS + " attempts");
    }

    @Override
    public StoredObject delete(ObjectKey key, long expectedRevision) {
        for (int attempt = 1; attempt <= MAX_REVISION_ATTEMPTS; attempt++) {
            StoredObject current = get(key).orElseThrow(() -> new StoreException.NotFound(key));
            if (expectedRevision != 0 && current.revision() != expectedRevision) {
                throw new StoreException.Conflict(key, expectedRevision, current.revision());
            }
            long revision = counter.allocate(key.resource());
            ObjectNode lastState = withResourceVersion(current.value(), revision);
            ValueItems.Encoded encoded = values.encode(key, revision, lastState);
            Delete objectDelete = Delete.builder().tableName(tables.objects()).key(objectKey(key))
                    .conditionExpression("#rv = :expected")
                    .expressionAttributeNames(Map.of("#rv", Attr.REVISION))
                    .expressionAttributeValues(Map.of(":expected", Attr.n(current.revision())))
                    .build();
            Outcome outcome = commit(key, revision, null, objectDelete, "DELETED", current.revision(), encoded);
            switch (outcome) {
                case COMMITTED -> {
                    return new StoredObject(key, revision, lastState);
                }
                case OBJECT_CONDITION_FAILED -> {
                    if (expectedRevision != 0) {
                        throw conflictOrNotFound(key, expectedRevision);
                    }
                    // Unconditional delete raced with a write: read the new state and try again.
                }
                case REVISION_TAKEN -> LOG.atDebug().addKeyValue("object", key).addKeyValue("revision", revision)
                        .log("revision was filled before the delete committed, retrying");
            }
        }
        throw new IllegalStateException("could not delete " + key + " in " + MAX_REVISION_ATTEMPTS + " attempts");
    }

    @Override
    public Optional<StoredObject> get(ObjectKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(tables.objects()).key(objectKey(key))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        long revision = Attr.longOf(item, Attr.REVISION);
        return Optional.of(new StoredObject(key, revision, values.decode(key.resource(), revision, item)));
    }

    @Override
    public Optional<StoredRecord> getRecord(ObjectKey key) {
        return records.get(key);
    }

    @Override
    public StoredRecord putRecord(StoredRecord.Write write) {
        try {
            records.putAlone(write);
        } catch (ConditionalCheckFailedException moved) {
            throw new StoreException.Conflict(write.key(), write.expectedVersion(), records.version(write.key()));
        }
        return new StoredRecord(write.key(), write.value(), write.expectedVersion() + 1);
    }

    @Override
    public ListPage list(String resource, ListOptions options) {
        return lister.list(resource, options);
    }

    @Override
    public WatchBatch watch(String resource, long afterRevision, Duration maxWait) {
        long compacted = counter.read(resource).compacted();
        if (afterRevision < compacted) {
            throw new StoreException.Expired(resource, afterRevision, compacted);
        }
        long deadline = System.nanoTime() + maxWait.toNanos();
        while (true) {
            ContiguousReader.Result result = reader.read(resource, afterRevision, Long.MAX_VALUE, WATCH_READ_LIMIT);
            if (!result.entries().isEmpty() || result.through() > afterRevision) {
                return new WatchBatch(toEvents(resource, result.entries()), result.through());
            }
            long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (remainingMillis <= 0) {
                return new WatchBatch(List.of(), afterRevision);
            }
            long wait = result.blockedByGap() ? Math.min(remainingMillis, 5)
                    : Math.min(remainingMillis, options.pollInterval().toMillis());
            try {
                notifier.awaitWriteAfter(resource, afterRevision, wait);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new WatchBatch(List.of(), afterRevision);
            }
        }
    }

    @Override
    public Optional<StoredObject> getAtRevision(String resource, long revision) {
        return log.get(resource, revision)
                .filter(entry -> !entry.isFiller() && !"DELETED".equals(entry.operation()))
                .map(entry -> new StoredObject(ObjectKey.fromStorageKey(resource, entry.key()), revision,
                        values.decode(resource, revision, entry.item())));
    }

    @Override
    public long currentRevision(String resource) {
        return counter.read(resource).revision();
    }

    @Override
    public Map<String, Long> currentRevisions(java.util.Collection<String> resources) {
        return counter.readRevisions(resources);
    }

    @Override
    public void compact(String resource, long revision) {
        compactor.compact(resource, revision);
    }

    @Override
    public long compactedRevision(String resource) {
        return counter.read(resource).compacted();
    }

    /** Compacts {@code resource} up to the last revision written more than {@code keep} ago; returns it. */
    public long compactOlderThan(String resource, Duration keep) {
        return compactor.compactOlderThan(resource, options.clock().millis() - keep.toMillis());
    }

    /**
     * Blocks until every revision of {@code resource} up to {@code revision} is written or filled, so that a list
     * at that revision and a watch from it miss nothing.
     */
    void ensureVisible(String resource, long revision, long persistedVisible) {
        long through = Math.max(visibleThrough.getOrDefault(resource, 0L), persistedVisible);
        long start = through;
        while (through < revision) {
            ContiguousReader.Result result = reader.read(resource, through, revision, 1000);
            through = result.through();
            if (result.blockedByGap()) {
                sleepBriefly();
            }
        }
        visibleThrough.merge(resource, through, Math::max);
        // Persist progress now and then, so that a cold process does not re-check a long stretch of log.
        if (through - persistedVisible >= 100 || (through > start && persistedVisible == 0)) {
            counter.raiseVisible(resource, through);
        }
    }

    /**
     * The change one item of the event log records, as a watch delivers it: for readers of the log's stream (the
     * control loops' fan-out), whose new images are these items. Large values are read back from their chunks and
     * encrypted ones decrypted, as for any read. Empty for the fillers of failed writes, which change nothing.
     */
    public Optional<WatchEvent> decodeLogItem(Map<String, AttributeValue> item) {
        return decodeLogItem(item, true);
    }

    /** The store resource an item of the event log belongs to ({@code pods}, {@code apps/deployments}). */
    public static String logItemResource(Map<String, AttributeValue> item) {
        return Attr.stringOf(item, Attr.RESOURCE);
    }

    /**
     * The change an item of the event log records, without its value (the object is null): for the fan-out, which
     * needs only the key of resources it cannot (and should not) decrypt.
     */
    public Optional<WatchEvent> decodeLogItemKey(Map<String, AttributeValue> item) {
        return decodeLogItem(item, false);
    }

    private Optional<WatchEvent> decodeLogItem(Map<String, AttributeValue> item, boolean withValue) {
        LogEntry entry = LogEntry.of(item);
        if (entry.isFiller()) {
            return Optional.empty();
        }
        return Optional.of(toEvent(logItemResource(item), entry, withValue));
    }

    private List<WatchEvent> toEvents(String resource, List<LogEntry> entries) {
        List<WatchEvent> events = new ArrayList<>(entries.size());
        for (LogEntry entry : entries) {
            events.add(toEvent(resource, entry, true));
        }
        return events;
    }

    /** The entry as a watch event; without {@code withValue}, its object is null (the value is not read). */
    private WatchEvent toEvent(String resource, LogEntry entry, boolean withValue) {
        ObjectNode object = withValue ? values.decode(resource, entry.revision(), entry.item()) : null;
        return new WatchEvent(WatchEvent.Type.valueOf(entry.operation()), entry.revision(),
                ObjectKey.fromStorageKey(resource, entry.key()), object, entry.previous());
    }

    private enum Outcome { COMMITTED, OBJECT_CONDITION_FAILED, RECORD_CONDITION_FAILED, REVISION_TAKEN }

    private Outcome commit(ObjectKey key, long revision, Put objectPut, Delete objectDelete, String operation,
                           long previous, ValueItems.Encoded encoded) {
        return commit(key, revision, objectPut, objectDelete, operation, previous, encoded, null);
    }

    /** The object's write, its log entry, then the record's put when there is one (index 2), then value chunks. */
    private Outcome commit(ObjectKey key, long revision, Put objectPut, Delete objectDelete, String operation,
                           long previous, ValueItems.Encoded encoded, Put recordPut) {
        List<TransactWriteItem> items = new ArrayList<>(3 + encoded.chunkPuts().size());
        items.add(objectPut != null ? TransactWriteItem.builder().put(objectPut).build()
                : TransactWriteItem.builder().delete(objectDelete).build());
        items.add(TransactWriteItem.builder().put(log.eventPut(key.resource(), revision, operation,
                key.storageKey(), previous, encoded.attributes(), options.clock().millis())).build());
        if (recordPut != null) {
            items.add(TransactWriteItem.builder().put(recordPut).build());
        }
        items.addAll(encoded.chunkPuts());
        try {
            dynamo.transactWriteItems(b -> b.transactItems(items));
            notifier.committed(key.resource(), revision);
            return Outcome.COMMITTED;
        } catch (TransactionCanceledException cancelled) {
            // Give the revision back at once so watchers do not wait for it to time out.
            log.fill(key.resource(), revision, options.clock().millis());
            notifier.committed(key.resource(), revision);
            List<CancellationReason> reasons = cancelled.cancellationReasons();
            if (isConditionFailure(reasons, 0)) {
                return Outcome.OBJECT_CONDITION_FAILED;
            }
            if (recordPut != null && isConditionFailure(reasons, 2)) {
                return Outcome.RECORD_CONDITION_FAILED;
            }
            if (isConditionFailure(reasons, 1) || isTransactionConflict(reasons)) {
                return Outcome.REVISION_TAKEN;
            }
            throw cancelled;
        }
    }

    private static boolean isConditionFailure(List<CancellationReason> reasons, int index) {
        return reasons.size() > index && "ConditionalCheckFailed".equals(reasons.get(index).code());
    }

    private static boolean isTransactionConflict(List<CancellationReason> reasons) {
        return reasons.stream().anyMatch(r -> "TransactionConflict".equals(r.code()));
    }

    private StoreException conflictOrNotFound(ObjectKey key, long expectedRevision) {
        return get(key).<StoreException>map(current ->
                        new StoreException.Conflict(key, expectedRevision, current.revision()))
                .orElseGet(() -> new StoreException.NotFound(key));
    }

    private Put.Builder objectPut(ObjectKey key, long revision, ValueItems.Encoded encoded) {
        Map<String, AttributeValue> item = new HashMap<>(encoded.attributes());
        item.putAll(objectKey(key));
        item.put(Attr.REVISION, Attr.n(revision));
        return Put.builder().tableName(tables.objects()).item(item);
    }

    private static Map<String, AttributeValue> objectKey(ObjectKey key) {
        return Map.of(Attr.RESOURCE, Attr.s(key.resource()), Attr.KEY, Attr.s(key.storageKey()));
    }

    private static ObjectNode withResourceVersion(ObjectNode object, long revision) {
        ObjectNode copy = object.deepCopy();
        ObjectNode metadata = copy.has("metadata") && copy.get("metadata").isObject()
                ? (ObjectNode) copy.get("metadata") : copy.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(revision));
        return copy;
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a write in flight", e);
        }
    }
}
