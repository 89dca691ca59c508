package dev.kumo.apimachinery.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One counter item per resource (partition {@code ~rev/<resource>}), so that no single item carries every write of
 * the cluster: each resource's writes are bounded by one item's ~1,000 writes/s, not the cluster's. The item also
 * remembers the compacted revision and a revision below which the log is known to have no gaps.
 */
final class RevisionCounter {
    private static final String SORT_KEY = "~";
    private static final String PREFIX = "~rev/";

    private final DynamoDbClient dynamo;
    private final String table;

    RevisionCounter(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The counter's state; all zero for a resource never written. */
    record State(long revision, long compacted, long visible) {
    }

    /** Takes the next revision of {@code resource}. */
    long allocate(String resource) {
        Map<String, AttributeValue> updated = dynamo.updateItem(b -> b.tableName(table)
                .key(key(resource))
                .updateExpression("ADD #rev :one")
                .expressionAttributeNames(Map.of("#rev", Attr.COUNTER))
                .expressionAttributeValues(Map.of(":one", Attr.n(1)))
                .returnValues(ReturnValue.UPDATED_NEW)).attributes();
        return Attr.longOf(updated, Attr.COUNTER);
    }

    State read(String resource) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(resource))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return new State(0, 0, 0);
        }
        return new State(Attr.longOf(item, Attr.COUNTER), Attr.longOf(item, Attr.COMPACTED),
                Attr.longOf(item, Attr.VISIBLE));
    }

    /**
     * The latest revisions of several resources in one strongly consistent BatchGetItem (a resource never written
     * reads 0); keys DynamoDB leaves unprocessed under throttling are asked for again.
     */
    Map<String, Long> readRevisions(Collection<String> resources) {
        Map<String, Long> revisions = new LinkedHashMap<>();
        List<Map<String, AttributeValue>> keys = new ArrayList<>();
        for (String resource : resources) {
            revisions.put(resource, 0L);
            keys.add(key(resource));
        }
        Map<String, KeysAndAttributes> request = Map.of(table, KeysAndAttributes.builder().keys(keys)
                .consistentRead(true).projectionExpression("#r, #rev")
                .expressionAttributeNames(Map.of("#r", Attr.RESOURCE, "#rev", Attr.COUNTER)).build());
        while (!request.isEmpty() && !keys.isEmpty()) {
            Map<String, KeysAndAttributes> pending = request;
            BatchGetItemResponse response = dynamo.batchGetItem(b -> b.requestItems(pending));
            for (Map<String, AttributeValue> item : response.responses().getOrDefault(table, List.of())) {
                String resource = Attr.stringOf(item, Attr.RESOURCE).substring(PREFIX.length());
                revisions.put(resource, Attr.longOf(item, Attr.COUNTER));
            }
            request = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
        }
        return revisions;
    }

    /** Raises the compacted revision; returns false if it already was at or above {@code revision}. */
    boolean raiseCompacted(String resource, long revision) {
        return raise(resource, Attr.COMPACTED, revision);
    }

    /** Records that the log has no gap up to {@code revision}, so that later readers start their check there. */
    void raiseVisible(String resource, long revision) {
        raise(resource, Attr.VISIBLE, revision);
    }

    private boolean raise(String resource, String attribute, long revision) {
        try {
            dynamo.updateItem(b -> b.tableName(table)
                    .key(key(resource))
                    .updateExpression("SET #a = :v")
                    .conditionExpression("attribute_not_exists(#a) OR #a < :v")
                    .expressionAttributeNames(Map.of("#a", attribute))
                    .expressionAttributeValues(Map.of(":v", Attr.n(revision))));
            return true;
        } catch (ConditionalCheckFailedException alreadyHigher) {
            return false;
        }
    }

    private static Map<String, AttributeValue> key(String resource) {
        return Map.of(Attr.RESOURCE, Attr.s(PREFIX + resource), Attr.KEY, Attr.s(SORT_KEY));
    }
}
