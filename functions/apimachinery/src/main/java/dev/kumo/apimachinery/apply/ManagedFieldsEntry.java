package dev.kumo.apimachinery.apply;

import java.time.Instant;
import java.util.Objects;

/**
 * One entry of {@code metadata.managedFields}: the fields one manager owns.
 *
 * @param manager the field manager's name
 * @param operation {@link Operation#APPLY} or {@link Operation#UPDATE}
 * @param apiVersion the API version the fields are expressed in
 * @param time when the entry last changed, or null if unknown
 * @param subresource the subresource written through ({@code ""} for the main resource)
 * @param fields the owned fields
 */
public record ManagedFieldsEntry(String manager, Operation operation, String apiVersion, Instant time,
                                 String subresource, FieldSet fields) {

    public ManagedFieldsEntry {
        Objects.requireNonNull(manager, "manager");
        Objects.requireNonNull(operation, "operation");
        apiVersion = apiVersion == null ? "" : apiVersion;
        subresource = subresource == null ? "" : subresource;
        Objects.requireNonNull(fields, "fields");
    }

    /**
     * What makes two entries the same manager: appliers are one manager whatever version they apply,
     * updaters are one per version.
     */
    ManagerKey key() {
        return new ManagerKey(manager, operation, operation == Operation.APPLY ? "" : apiVersion, subresource);
    }

    ManagedFieldsEntry withFields(FieldSet newFields) {
        return new ManagedFieldsEntry(manager, operation, apiVersion, time, subresource, newFields);
    }

    /**
     * How Kubernetes names this manager in conflict messages: {@code "kubectl"}, or for updaters
     * {@code "kube-controller-manager" using apps/v1}, with {@code  with subresource "status"} if any.
     */
    public String description() {
        StringBuilder text = new StringBuilder("\"").append(manager).append('"');
        if (!subresource.isEmpty()) {
            text.append(" with subresource \"").append(subresource).append('"');
        }
        if (operation == Operation.UPDATE) {
            text.append(" using ").append(apiVersion);
        }
        return text.toString();
    }

    /** The identity of a manager among the entries of one object. */
    record ManagerKey(String manager, Operation operation, String apiVersion, String subresource) {
    }
}
