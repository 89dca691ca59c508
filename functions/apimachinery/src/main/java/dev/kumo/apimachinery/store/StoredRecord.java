package dev.kumo.apimachinery.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A record the store keeps beside the objects, outside their revision order: no revision, no log entry, so no
 * watch sees it. For the API server's own bookkeeping that no client reads (what each node holds). It changes with
 * optimistic concurrency on its own {@code version}, alone or in the same transaction as an object's update.
 *
 * @param version 1 for the first write, one more for each later one
 */
public record StoredRecord(ObjectKey key, ObjectNode value, long version) {

    /** A write of {@code value} that succeeds only while the record is at {@code expectedVersion} (0: absent). */
    public record Write(ObjectKey key, ObjectNode value, long expectedVersion) {
    }
}
