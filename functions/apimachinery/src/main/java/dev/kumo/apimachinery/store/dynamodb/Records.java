package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoredRecord;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;

import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * {@link StoredRecord}s in the objects table, under partitions of their own ({@code ~record/<resource>}) that no
 * list of objects reaches: the JSON value and a version number, written with a condition on that version. They
 * take no revision and append no log entry, which is what makes them cheap beside an object's write.
 */
final class Records {
    private static final String PREFIX = "~record/";
    private static final String VERSION = "ver";

    private final DynamoDbClient dynamo;
    private final String table;
    private final ObjectMapper mapper;

    Records(DynamoDbClient dynamo, String table, ObjectMapper mapper) {
        this.dynamo = dynamo;
        this.table = table;
        this.mapper = mapper;
    }

    Optional<StoredRecord> get(ObjectKey key) {
        Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(table).key(key(key))
                .consistentRead(true)).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new StoredRecord(key, (ObjectNode) mapper.readTree(Attr.stringOf(item, Attr.VALUE)),
                    Attr.longOf(item, VERSION)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("record " + key + " holds no JSON object", e);
        }
    }

    long version(ObjectKey key) {
        return get(key).map(StoredRecord::version).orElse(0L);
    }

    /** The conditional put of the write: at the expected version, or absent when that is 0. */
    Put put(StoredRecord.Write write) {
        Map<String, AttributeValue> item = new HashMap<>(key(write.key()));
        item.put(Attr.VALUE, Attr.s(write.value().toString()));
        item.put(VERSION, Attr.n(write.expectedVersion() + 1));
        Put.Builder put = Put.builder().tableName(table).item(item);
        if (write.expectedVersion() == 0) {
            put.conditionExpression("attribute_not_exists(#k)").expressionAttributeNames(Map.of("#k", Attr.KEY));
        } else {
            put.conditionExpression("#ver = :expected").expressionAttributeNames(Map.of("#ver", VERSION))
                    .expressionAttributeValues(Map.of(":expected", Attr.n(write.expectedVersion())));
        }
        return put.build();
    }

    /** The same conditional put as {@link #put}, on its own; ConditionalCheckFailedException when it moved on. */
    void putAlone(StoredRecord.Write write) {
        Put put = put(write);
        dynamo.putItem(b -> {
            b.tableName(put.tableName()).item(put.item()).conditionExpression(put.conditionExpression())
                    .expressionAttributeNames(put.expressionAttributeNames());
            if (put.hasExpressionAttributeValues()) {
                b.expressionAttributeValues(put.expressionAttributeValues());
            }
        });
    }

    private static Map<String, AttributeValue> key(ObjectKey key) {
        return Map.of(Attr.RESOURCE, Attr.s(PREFIX + key.resource()), Attr.KEY, Attr.s(key.storageKey()));
    }
}
