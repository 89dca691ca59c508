package dev.kumo.apimachinery.patch.schema;

import java.util.Optional;

/**
 * Answers, for each kind of object, the structural hints that drive strategic merge patch and
 * server-side apply (see {@link SchemaNode}).
 */
@FunctionalInterface
public interface MergeSchema {

    /** The schema of objects of this kind, if this source knows the kind. */
    Optional<SchemaNode> find(GroupVersionKind kind);

    /** The schema of objects of this kind; untyped when the kind is unknown. */
    default SchemaNode root(GroupVersionKind kind) {
        return find(kind).orElseGet(SchemaNode::untyped);
    }

    /** The node at a path of field names in objects of this kind (see {@link SchemaNode#at}). */
    default SchemaNode at(GroupVersionKind kind, String... path) {
        return root(kind).at(path);
    }

    /** This source, and {@code fallback} for the kinds this one does not know. */
    default MergeSchema orElse(MergeSchema fallback) {
        MergeSchema first = this;
        return new MergeSchema() {
            @Override
            public Optional<SchemaNode> find(GroupVersionKind kind) {
                return first.find(kind).or(() -> fallback.find(kind));
            }

            @Override
            public SchemaNode root(GroupVersionKind kind) {
                return first.find(kind).isPresent() ? first.root(kind) : fallback.root(kind);
            }
        };
    }

    /** A source that knows no kind: every object is untyped. */
    static MergeSchema untyped() {
        return kind -> Optional.empty();
    }
}
