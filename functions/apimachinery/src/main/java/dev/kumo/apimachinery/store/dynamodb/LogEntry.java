package dev.kumo.apimachinery.store.dynamodb;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.Map;

/** One item of the event log as read back: which write (or filler) took {@code revision}. */
record LogEntry(long revision, String operation, String key, long previous, Map<String, AttributeValue> item) {

    static LogEntry of(Map<String, AttributeValue> item) {
        return new LogEntry(Attr.longOf(item, Attr.REVISION), Attr.stringOf(item, Attr.OPERATION),
                Attr.stringOf(item, Attr.KEY), Attr.longOf(item, Attr.PREVIOUS), item);
    }

    boolean isFiller() {
        return Attr.OP_FILL.equals(operation);
    }

    long writtenAtMillis() {
        return Attr.longOf(item, Attr.TIME);
    }
}
