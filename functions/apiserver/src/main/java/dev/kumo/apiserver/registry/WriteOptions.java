package dev.kumo.apiserver.registry;

/**
 * Options every write carries.
 *
 * @param dryRun       validate and answer as if written, but write nothing
 * @param fieldManager who makes the change, for managedFields
 * @param strictFields fieldValidation=Strict: unknown or duplicate fields are errors, not warnings
 * @param applied      the object already carries the managedFields of a server-side apply
 */
public record WriteOptions(boolean dryRun, String fieldManager, boolean strictFields, boolean applied) {
    public static final WriteOptions DEFAULT = new WriteOptions(false, "unknown", false, false);

    public WriteOptions(boolean dryRun, String fieldManager, boolean strictFields) {
        this(dryRun, fieldManager, strictFields, false);
    }

    public WriteOptions asApply() {
        return new WriteOptions(dryRun, fieldManager, strictFields, true);
    }
}
