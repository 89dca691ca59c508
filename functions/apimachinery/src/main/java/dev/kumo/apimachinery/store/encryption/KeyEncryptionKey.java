package dev.kumo.apimachinery.store.encryption;

/**
 * The key that wraps data keys (Kubernetes' KMS plugin): a local key file, or a key in AWS KMS. Data keys never
 * leave the process unwrapped; only their wrapped form is stored beside the ciphertext.
 */
public interface KeyEncryptionKey {
    /** A new AES-256 data key, in plaintext and wrapped by this key. */
    DataKey generateDataKey();

    /**
     * The plaintext of a data key this key wrapped.
     *
     * @param keyId the id that {@link DataKey#keyId()} had when the data key was made, stored with the value
     * @throws TransformException when this key cannot unwrap it (another key, altered bytes, KMS refused)
     */
    byte[] unwrap(String keyId, byte[] wrapped);

    /** Names this key in the stored format and in messages (a local key's fingerprint, a KMS key's ARN). */
    String keyId();

    /** A data key: 32 bytes of plaintext, its wrapped form, and the id of the key that wrapped it. */
    record DataKey(byte[] plaintext, byte[] wrapped, String keyId) {
    }
}
