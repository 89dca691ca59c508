package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores values inline or, when too large for one item, as chunk items in partition
 * {@code ~chunk/<resource>/<revision>} of the objects table. The object item and the log event written at the same
 * revision share one set of chunks.
 */
final class ValueItems {
    private final DynamoDbClient dynamo;
    private final String objectsTable;
    private final ValueCodec codec;

    ValueItems(DynamoDbClient dynamo, String objectsTable, ValueCodec codec) {
        this.dynamo = dynamo;
        this.objectsTable = objectsTable;
        this.codec = codec;
    }

    /** The value's attributes for an item, and the chunk puts that must go into the same transaction. */
    record Encoded(Map<String, AttributeValue> attributes, List<TransactWriteItem> chunkPuts) {
    }

    Encoded encode(ObjectKey key, long revision, ObjectNode value) {
        byte[] bytes = codec.encode(key, value);
        if (ValueCodec.fitsInline(bytes)) {
            return new Encoded(Map.of(Attr.VALUE, Attr.b(bytes)), List.of());
        }
        List<byte[]> chunks = ValueCodec.split(bytes);
        List<TransactWriteItem> puts = new ArrayList<>();
        for (int i = 0; i < chunks.size(); i++) {
            Map<String, AttributeValue> item = new HashMap<>(chunkKey(key.resource(), revision, i));
            item.put(Attr.CHUNK, Attr.b(chunks.get(i)));
            puts.add(TransactWriteItem.builder().put(Put.builder().tableName(objectsTable).item(item).build()).build());
        }
        return new Encoded(Map.of(Attr.CHUNKS, Attr.n(chunks.size())), puts);
    }

    /** Reads the value of an object or log item written at {@code revision} (both name their object in {@code k}). */
    ObjectNode decode(String resource, long revision, Map<String, AttributeValue> item) {
        ObjectKey key = ObjectKey.fromStorageKey(resource, Attr.stringOf(item, Attr.KEY));
        AttributeValue inline = item.get(Attr.VALUE);
        if (inline != null) {
            return codec.decode(key, inline.b().asByteArrayUnsafe());
        }
        int count = (int) Attr.longOf(item, Attr.CHUNKS);
        List<byte[]> chunks = new ArrayList<>(count);
        Map<String, AttributeValue> start = null;
        do {
            Map<String, AttributeValue> exclusiveStart = start;
            QueryResponse page = dynamo.query(b -> b.tableName(objectsTable)
                    .keyConditionExpression("#r = :r")
                    .expressionAttributeNames(Map.of("#r", Attr.RESOURCE))
                    .expressionAttributeValues(Map.of(":r", Attr.s(chunkPartition(resource, revision))))
                    .consistentRead(true)
                    .exclusiveStartKey(exclusiveStart));
            page.items().forEach(chunk -> chunks.add(chunk.get(Attr.CHUNK).b().asByteArray()));
            start = page.hasLastEvaluatedKey() ? page.lastEvaluatedKey() : null;
        } while (start != null);
        if (chunks.size() != count) {
            throw new IllegalStateException("value of " + resource + "@" + revision + " has " + chunks.size()
                    + " of " + count + " chunks");
        }
        return codec.decode(key, ValueCodec.join(chunks));
    }

    /** Delete requests for the chunks of an item, if it has any. */
    List<WriteRequest> chunkDeletes(String resource, long revision, Map<String, AttributeValue> item) {
        int count = (int) Attr.longOf(item, Attr.CHUNKS);
        List<WriteRequest> deletes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Map<String, AttributeValue> key = chunkKey(resource, revision, i);
            deletes.add(WriteRequest.builder().deleteRequest(d -> d.key(key)).build());
        }
        return deletes;
    }

    private static Map<String, AttributeValue> chunkKey(String resource, long revision, int index) {
        return Map.of(Attr.RESOURCE, Attr.s(chunkPartition(resource, revision)),
                Attr.KEY, Attr.s(String.format("%05d", index)));
    }

    private static String chunkPartition(String resource, long revision) {
        return "~chunk/" + resource + "/" + revision;
    }
}
