package dev.kumo.apiserver.registry;

import dev.kumo.apiserver.auth.UserInfo;

/**
 * Options every write carries.
 *
 * @param dryRun       validate and answer as if written, but write nothing
 * @param fieldManager who makes the change, for managedFields
 * @param strictFields fieldValidation=Strict: unknown or duplicate fields are errors, not warnings
 * @param applied      the object already carries the managedFields of a server-side apply
 * @param user         who asks, for admission
 */
public record WriteOptions(boolean dryRun, String fieldManager, boolean strictFields, boolean applied,
                           UserInfo user) {

    public WriteOptions {
        if (user == null) {
            throw new IllegalArgumentException("a write needs the user who makes it");
        }
    }

    /** A write the API server makes on its own behalf (bootstrap objects). */
    public static WriteOptions system(String fieldManager) {
        return new WriteOptions(false, fieldManager, false, false, UserInfo.API_SERVER);
    }

    public WriteOptions asApply() {
        return new WriteOptions(dryRun, fieldManager, strictFields, true, user);
    }
}
