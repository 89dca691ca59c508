package dev.kumo.apimachinery.store.dynamodb;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** Attribute names of the store's items and small helpers to read and write them. */
final class Attr {
    /** Partition key of both tables: the resource (or a reserved {@code ~...} partition). */
    static final String RESOURCE = "r";
    /** Sort key of the objects table: namespace/name. Also on log items: the key of the changed object. */
    static final String KEY = "k";
    /** Sort key of the log; on objects, the revision of the current value. */
    static final String REVISION = "rv";
    /** Log: the previous revision of the object (0 for a creation). */
    static final String PREVIOUS = "p";
    /** Log: ADDED, MODIFIED, DELETED or FILL. */
    static final String OPERATION = "op";
    /** The gzip-compressed JSON value, when it fits in the item. */
    static final String VALUE = "v";
    /** The number of chunk items holding the value, when it does not fit. */
    static final String CHUNKS = "ch";
    /** Chunk items: a slice of the compressed value. */
    static final String CHUNK = "c";
    /** Log: when the event was written, epoch milliseconds (compaction keeps a time window). */
    static final String TIME = "ts";
    /** Counter items: the last allocated revision, the compacted revision, a revision known to have no gaps. */
    static final String COUNTER = "rev";
    static final String COMPACTED = "compacted";
    static final String VISIBLE = "visible";

    static final String OP_FILL = "FILL";

    private Attr() {
    }

    static AttributeValue s(String value) {
        return AttributeValue.fromS(value);
    }

    static AttributeValue n(long value) {
        return AttributeValue.fromN(Long.toString(value));
    }

    static AttributeValue b(byte[] value) {
        return AttributeValue.fromB(SdkBytes.fromByteArrayUnsafe(value));
    }

    static long longOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null || value.n() == null ? 0 : Long.parseLong(value.n());
    }

    static String stringOf(Map<String, AttributeValue> item, String name) {
        AttributeValue value = item.get(name);
        return value == null ? null : value.s();
    }
}
