package dev.kumo.apimachinery.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster state, etcd's role. Every write takes the next revision of its resource and appends one event to
 * that resource's log, so a watch from any revision a list returned sees every later change of the resource
 * exactly once and in order. Revisions of different resources are not comparable.
 *
 * <p>Values are Kubernetes objects as JSON trees; the store sets {@code metadata.resourceVersion} to the revision
 * it wrote them at and otherwise stores them byte for byte. Implementations are safe for concurrent use by any
 * number of processes.
 */
public interface Store {

    /** Creates the object; fails with {@link StoreException.AlreadyExists} if the key is taken. */
    StoredObject create(ObjectKey key, ObjectNode object);

    /**
     * Replaces the object if it is still at {@code expectedRevision}; fails with {@link StoreException.Conflict}
     * if it moved on and {@link StoreException.NotFound} if it is gone.
     */
    StoredObject update(ObjectKey key, ObjectNode object, long expectedRevision);

    /**
     * Deletes the object if it is still at {@code expectedRevision}, returning its last state with the deletion's
     * revision as resourceVersion.
     */
    StoredObject delete(ObjectKey key, long expectedRevision);

    /**
     * {@link #update(ObjectKey, ObjectNode, long)} and the record write in one transaction: both or neither. Fails
     * with {@link StoreException.Conflict} naming the object's key or the record's, whichever moved on.
     */
    StoredObject update(ObjectKey key, ObjectNode object, long expectedRevision, StoredRecord.Write alongside);

    Optional<StoredObject> get(ObjectKey key);

    /** A record (see {@link StoredRecord}); empty when it was never written. */
    Optional<StoredRecord> getRecord(ObjectKey key);

    /** Writes a record alone; {@link StoreException.Conflict} when its version moved on. */
    StoredRecord putRecord(StoredRecord.Write write);

    /** A consistent page of one resource, see {@link ListPage}. */
    ListPage list(String resource, ListOptions options);

    /**
     * The changes of {@code resource} after {@code afterRevision}, in revision order, waiting up to
     * {@code maxWait} for the first one. Returns an empty batch (covering what it saw) when nothing happened.
     *
     * @throws StoreException.Expired if {@code afterRevision} was compacted
     */
    WatchBatch watch(String resource, long afterRevision, Duration maxWait);

    /** The object as written at {@code revision}, while the log still holds that revision (not for deletions). */
    Optional<StoredObject> getAtRevision(String resource, long revision);

    /** The latest revision of {@code resource} (0 if it was never written). */
    long currentRevision(String resource);

    /**
     * The latest revisions of several resources, read together (one round trip where the store can), so that a
     * per-request freshness check of a few cached resources stays cheap.
     */
    default Map<String, Long> currentRevisions(Collection<String> resources) {
        Map<String, Long> revisions = new LinkedHashMap<>();
        resources.forEach(resource -> revisions.put(resource, currentRevision(resource)));
        return revisions;
    }

    /** Forgets history up to {@code revision}: older revisions answer {@link StoreException.Expired}. */
    void compact(String resource, long revision);

    /** The revision up to which {@code resource} is compacted. */
    long compactedRevision(String resource);
}
