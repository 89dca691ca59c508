package dev.kumo.apimachinery.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The log table: one item per revision of a resource, read in revision order. */
final class EventLog {
    private final DynamoDbClient dynamo;
    private final String table;

    EventLog(DynamoDbClient dynamo, String table) {
        this.dynamo = dynamo;
        this.table = table;
    }

    /** The put of a write's event; it fails if a filler already claimed the revision. */
    Put eventPut(String resource, long revision, String operation, String key, long previous,
                 Map<String, AttributeValue> valueAttributes, long nowMillis) {
        Map<String, AttributeValue> item = new HashMap<>(valueAttributes);
        item.put(Attr.RESOURCE, Attr.s(resource));
        item.put(Attr.REVISION, Attr.n(revision));
        item.put(Attr.OPERATION, Attr.s(operation));
        item.put(Attr.KEY, Attr.s(key));
        item.put(Attr.PREVIOUS, Attr.n(previous));
        item.put(Attr.TIME, Attr.n(nowMillis));
        return Put.builder().tableName(table).item(item)
                .conditionExpression("attribute_not_exists(#rv)")
                .expressionAttributeNames(Map.of("#rv", Attr.REVISION))
                .build();
    }

    /** Entries after {@code afterRevision} (and at most through {@code throughRevision}), ascending, strongly consistent. */
    List<LogEntry> readAfter(String resource, long afterRevision, long throughRevision, int limit) {
        QueryResponse response = dynamo.query(b -> b.tableName(table)
                .keyConditionExpression("#r = :r AND #rv BETWEEN :from AND :to")
                .expressionAttributeNames(Map.of("#r", Attr.RESOURCE, "#rv", Attr.REVISION))
                .expressionAttributeValues(Map.of(":r", Attr.s(resource), ":from", Attr.n(afterRevision + 1),
                        ":to", Attr.n(throughRevision)))
                .consistentRead(true)
                .limit(limit));
        List<LogEntry> entries = new ArrayList<>(response.count());
        response.items().forEach(item -> entries.add(LogEntry.of(item)));
        return entries;
    }

    Optional<LogEntry> get(String resource, long revision) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(resource, revision))
                .consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(LogEntry.of(item));
    }

    /**
     * Claims a revision that was allocated but never written (kine's gap filling). Returns false if the writer's
     * event arrived first. A writer whose revision was filled fails its transaction and retries with a new one.
     */
    boolean fill(String resource, long revision, long nowMillis) {
        try {
            dynamo.putItem(b -> b.tableName(table)
                    .item(Map.of(Attr.RESOURCE, Attr.s(resource), Attr.REVISION, Attr.n(revision),
                            Attr.OPERATION, Attr.s(Attr.OP_FILL), Attr.TIME, Attr.n(nowMillis)))
                    .conditionExpression("attribute_not_exists(#rv)")
                    .expressionAttributeNames(Map.of("#rv", Attr.REVISION)));
            return true;
        } catch (ConditionalCheckFailedException writerWasFirst) {
            return false;
        }
    }

    /** Deletes one entry, returning it (its chunk count tells whether chunks must go too). */
    Optional<Map<String, AttributeValue>> delete(String resource, long revision) {
        Map<String, AttributeValue> old = dynamo.deleteItem(b -> b.tableName(table).key(key(resource, revision))
                .returnValues(ReturnValue.ALL_OLD)).attributes();
        return old == null || old.isEmpty() ? Optional.empty() : Optional.of(old);
    }

    private static Map<String, AttributeValue> key(String resource, long revision) {
        return Map.of(Attr.RESOURCE, Attr.s(resource), Attr.REVISION, Attr.n(revision));
    }
}
