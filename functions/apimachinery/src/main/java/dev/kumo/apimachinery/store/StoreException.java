package dev.kumo.apimachinery.store;

/** Why a store operation did not happen. The API server maps each kind to its Kubernetes Status in one place. */
public sealed class StoreException extends RuntimeException
        permits StoreException.NotFound, StoreException.AlreadyExists, StoreException.Conflict,
        StoreException.Expired, StoreException.RevisionTooLarge, StoreException.InvalidContinue,
        StoreException.TooLarge, StoreException.TransformFailed {

    protected StoreException(String message) {
        super(message);
    }

    protected StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The object does not exist. */
    public static final class NotFound extends StoreException {
        public final ObjectKey key;

        public NotFound(ObjectKey key) {
            super(key + " not found");
            this.key = key;
        }
    }

    /** A create found an object with the same key. */
    public static final class AlreadyExists extends StoreException {
        public final ObjectKey key;

        public AlreadyExists(ObjectKey key) {
            super(key + " already exists");
            this.key = key;
        }
    }

    /** The object changed since the revision the write was based on. */
    public static final class Conflict extends StoreException {
        public final ObjectKey key;
        public final long expected;
        public final long actual;

        public Conflict(ObjectKey key, long expected, long actual) {
            super(key + " was modified: expected revision " + expected + ", found " + actual);
            this.key = key;
            this.expected = expected;
            this.actual = actual;
        }
    }

    /** The requested revision was compacted away (HTTP 410 Gone). */
    public static final class Expired extends StoreException {
        public final long requested;
        public final long compacted;

        public Expired(String resource, long requested, long compacted) {
            super("too old resource version: " + requested + " (" + compacted + ") for " + resource);
            this.requested = requested;
            this.compacted = compacted;
        }
    }

    /** The requested revision is newer than anything the store has written. */
    public static final class RevisionTooLarge extends StoreException {
        public RevisionTooLarge(String resource, long requested, long current) {
            super("too large resource version: " + requested + ", current: " + current + " for " + resource);
        }
    }

    /** A continue token that this store did not issue or that belongs to another list. */
    public static final class InvalidContinue extends StoreException {
        public InvalidContinue(String why) {
            super("invalid continue token: " + why);
        }
    }

    /** The value is larger than the store can hold, even split into chunks. */
    public static final class TooLarge extends StoreException {
        public TooLarge(ObjectKey key, int compressedBytes, int limit) {
            super(key + " is too large to store: " + compressedBytes + " bytes compressed, limit " + limit);
        }
    }

    /**
     * A stored value could not be encrypted or decrypted (Kubernetes: "unable to transform key"): the key that
     * wraps it is not configured, KMS refused, or the ciphertext was altered or copied from another object.
     */
    public static final class TransformFailed extends StoreException {
        public TransformFailed(ObjectKey key, Throwable cause) {
            super("unable to transform key \"" + key.resource() + "/" + key.storageKey() + "\": " + cause.getMessage(),
                    cause);
        }
    }
}
