package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Lists a resource as it was at one revision. The objects table is read in key order while writes go on; every
 * item the read saw at a later revision, and every key deleted meanwhile, is corrected from the log: the first
 * event after the list's revision names the previous revision of the object, and the log keeps that version
 * (compaction only drops versions superseded at or below the compacted revision).
 */
final class Lister {
    private static final int PAGE_SIZE = 1000;

    interface Visibility {
        void ensureVisible(String resource, long revision, long persistedVisible);
    }

    private final DynamoDbClient dynamo;
    private final String objectsTable;
    private final RevisionCounter counter;
    private final EventLog log;
    private final ValueItems values;
    private final Visibility visibility;

    Lister(DynamoDbClient dynamo, String objectsTable, RevisionCounter counter, EventLog log, ValueItems values,
           Visibility visibility) {
        this.dynamo = dynamo;
        this.objectsTable = objectsTable;
        this.counter = counter;
        this.log = log;
        this.values = values;
        this.visibility = visibility;
    }

    ListPage list(String resource, ListOptions options) {
        ContinueToken token = options.continueToken() == null ? null : ContinueToken.decode(options.continueToken());
        RevisionCounter.State state = counter.read(resource);
        long revision = token != null ? token.revision()
                : options.revision() > 0 ? options.revision() : state.revision();
        if (revision > state.revision()) {
            throw new StoreException.RevisionTooLarge(resource, revision, state.revision());
        }
        if (revision < state.compacted()) {
            throw new StoreException.Expired(resource, revision, state.compacted());
        }
        visibility.ensureVisible(resource, revision, state.visible());

        String prefix = options.namespace().isEmpty() ? "" : options.namespace() + "/";
        String startAfter = token != null ? token.startAfter() : null;
        Scan scan = scan(resource, prefix, startAfter, options, revision);
        TreeMap<String, StoredObject> result = new TreeMap<>(scan.asOf);
        correctFromLog(resource, revision, prefix, startAfter, scan, options, result);

        List<StoredObject> items = new ArrayList<>(result.values());
        boolean more = scan.more;
        if (options.limit() > 0 && items.size() > options.limit()) {
            items = items.subList(0, (int) options.limit());
            more = true;
        }
        String next = null;
        if (more) {
            String lastKey = items.isEmpty() ? scan.lastKey : items.get(items.size() - 1).key().storageKey();
            next = new ContinueToken(revision, lastKey).encode();
        }
        return new ListPage(items, revision, next);
    }

    /** What the objects table showed: values already at or before the revision, and keys changed after it. */
    private static final class Scan {
        final Map<String, StoredObject> asOf = new LinkedHashMap<>();
        final Map<String, Long> changedAfter = new HashMap<>();
        String lastKey;
        boolean more;
    }

    private Scan scan(String resource, String prefix, String startAfter, ListOptions options, long revision) {
        Scan scan = new Scan();
        Map<String, AttributeValue> exclusiveStart = startAfter == null ? null
                : Map.of(Attr.RESOURCE, Attr.s(resource), Attr.KEY, Attr.s(startAfter));
        do {
            QueryResponse page = dynamo.query(query(resource, prefix, exclusiveStart, options.limit()));
            for (Map<String, AttributeValue> item : page.items()) {
                String key = Attr.stringOf(item, Attr.KEY);
                long itemRevision = Attr.longOf(item, Attr.REVISION);
                scan.lastKey = key;
                if (itemRevision > revision) {
                    scan.changedAfter.put(key, itemRevision);
                    continue;
                }
                ObjectNode value = values.decode(resource, itemRevision, item);
                if (options.filter().test(value)) {
                    scan.asOf.put(key, new StoredObject(ObjectKey.fromStorageKey(resource, key), itemRevision, value));
                }
            }
            exclusiveStart = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (exclusiveStart != null
                && (options.limit() == 0 || scan.asOf.size() + scan.changedAfter.size() < options.limit()));
        scan.more = exclusiveStart != null;
        return scan;
    }

    private QueryRequest query(String resource, String prefix, Map<String, AttributeValue> exclusiveStart, long limit) {
        Map<String, String> names = prefix.isEmpty() ? Map.of("#r", Attr.RESOURCE)
                : Map.of("#r", Attr.RESOURCE, "#k", Attr.KEY);
        Map<String, AttributeValue> values = prefix.isEmpty()
                ? Map.of(":r", Attr.s(resource))
                : Map.of(":r", Attr.s(resource), ":prefix", Attr.s(prefix));
        return QueryRequest.builder().tableName(objectsTable)
                .keyConditionExpression(prefix.isEmpty() ? "#r = :r" : "#r = :r AND begins_with(#k, :prefix)")
                .expressionAttributeNames(names)
                .expressionAttributeValues(values)
                .exclusiveStartKey(exclusiveStart)
                .consistentRead(true)
                .limit((int) (limit > 0 ? Math.min(limit, PAGE_SIZE) : PAGE_SIZE))
                .build();
    }

    /**
     * Writes after the revision (committed before the scan read their items, so their events are in the log) put
     * back the state at the revision for the keys this page covers.
     */
    private void correctFromLog(String resource, long revision, String prefix, String startAfter, Scan scan,
                                ListOptions options, TreeMap<String, StoredObject> result) {
        long current = counter.read(resource).revision();
        if (current <= revision) {
            return;
        }
        Map<String, LogEntry> firstChange = new HashMap<>();
        long after = revision;
        while (after < current) {
            List<LogEntry> entries = log.readAfter(resource, after, current, PAGE_SIZE);
            if (entries.isEmpty()) {
                break;
            }
            for (LogEntry entry : entries) {
                if (!entry.isFiller() && covers(entry.key(), prefix, startAfter, scan)) {
                    firstChange.putIfAbsent(entry.key(), entry);
                }
            }
            after = entries.get(entries.size() - 1).revision();
        }
        for (Map.Entry<String, LogEntry> change : firstChange.entrySet()) {
            result.remove(change.getKey());
            long previous = change.getValue().previous();
            if (previous == 0) {
                continue; // created after the list's revision
            }
            LogEntry before = log.get(resource, previous).orElseThrow(() ->
                    new StoreException.Expired(resource, revision, counter.read(resource).compacted()));
            if ("DELETED".equals(before.operation())) {
                continue;
            }
            ObjectNode value = values.decode(resource, previous, before.item());
            if (options.filter().test(value)) {
                result.put(change.getKey(),
                        new StoredObject(ObjectKey.fromStorageKey(resource, change.getKey()), previous, value));
            }
        }
    }

    /** Whether a key falls into the part of the key space this page scanned. */
    private static boolean covers(String key, String prefix, String startAfter, Scan scan) {
        if (!key.startsWith(prefix) || (startAfter != null && key.compareTo(startAfter) <= 0)) {
            return false;
        }
        return !scan.more || key.compareTo(scan.lastKey) <= 0;
    }
}
