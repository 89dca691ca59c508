package dev.kumo.apiserver.registry;

/**
 * Options every write carries.
 *
 * @param dryRun       validate and answer as if written, but write nothing
 * @param fieldManager who makes the change, for managedFields
 * @param strictFields fieldValidation=Strict: unknown or duplicate fields are errors, not warnings
 */
public record WriteOptions(boolean dryRun, String fieldManager, boolean strictFields) {
    public static final WriteOptions DEFAULT = new WriteOptions(false, "unknown", false);
}
