package dev.kumo.apimachinery.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One change of one object. For {@link Type#DELETED} the object is its last state, with the deletion's revision as
 * resourceVersion (as Kubernetes reports it). {@code previousRevision} is the revision this change replaced (0 for
 * a creation); a watcher filtering by selector uses it to find the object's state before the change.
 */
public record WatchEvent(Type type, long revision, ObjectKey key, ObjectNode object, long previousRevision) {

    public enum Type { ADDED, MODIFIED, DELETED }
}
