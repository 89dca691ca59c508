package dev.kumo.apimachinery.apply;

import dev.kumo.apimachinery.patch.schema.GroupVersionKind;

/**
 * Fields that field management leaves alone for a kind and subresource (Kubernetes' "reset fields"):
 * nobody owns them and changing them is no conflict. A member covers everything below it, so
 * {@code .status} for writes to a main resource whose status has its own subresource.
 */
@FunctionalInterface
public interface IgnoredFields {

    /** @param subresource {@code ""} for the main resource */
    FieldSet ignoredFor(GroupVersionKind kind, String subresource);

    static IgnoredFields none() {
        return (kind, subresource) -> FieldSet.empty();
    }
}
