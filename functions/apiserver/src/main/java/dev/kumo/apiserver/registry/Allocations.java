package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.StoredRecord;

import java.util.Optional;

/**
 * Cluster-wide resources an object holds while it exists (a service's ClusterIP and node ports), reserved before
 * the object is written and released after it is gone. Reservations are store objects created conditionally, so
 * two API server processes never hand out the same one.
 */
public interface Allocations {

    /** Fills and reserves what the new object needs; throws an ApiException (422) for a taken explicit value. */
    void allocate(ObjectNode object);

    /** Reserves what an update adds and releases what it drops. */
    void reallocate(ObjectNode object, ObjectNode old);

    /**
     * What {@link #reallocate(ObjectNode, ObjectNode)} does, except that a reservation may come back as a record
     * write instead, to be committed in the same transaction as the object's update: then it is written with the
     * object or not at all, and needs no {@link #undo}. By default everything happens in {@code reallocate}.
     */
    default Optional<StoredRecord.Write> reallocateWithUpdate(ObjectNode object, ObjectNode old) {
        reallocate(object, old);
        return Optional.empty();
    }

    /**
     * The update that {@link #reallocate(ObjectNode, ObjectNode)} reserved for was not written (a conflict to retry,
     * or a failure): gives back what it reserved for {@code attempted}. By default nothing, for allocations whose
     * reservations are owned by the object and repaired by the next attempt.
     */
    default void undo(ObjectNode attempted, ObjectNode old) {
    }

    /** Releases what the object held (after it was deleted, or when its create failed). */
    void release(ObjectNode object);

    Allocations NONE = new Allocations() {
        @Override
        public void allocate(ObjectNode object) {
        }

        @Override
        public void reallocate(ObjectNode object, ObjectNode old) {
        }

        @Override
        public void release(ObjectNode object) {
        }
    };
}
