package dev.kumo.apimachinery.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.util.Map;

/**
 * One counter item per resource (partition {@code ~rev/<resource>}), so that no single item carries every write of
 * the cluster: each resource's writes are bounded by one item's ~1,000 writes/s, not the cluster's. The item also
 * remembers the compacted revision and a revision below which the log is known to have no gaps.
 */
final class RevisionCounter {
    private static final String SORT_KEY = "~";

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
        return Map.of(Attr.RESOURCE, Attr.s("~rev/" + resource), Attr.KEY, Attr.s(SORT_KEY));
    }
}
