package dev.kumo.apimachinery.store.encryption;

/**
 * Turns a stored value's bytes into what is written and back, as Kubernetes' storage transformers do
 * ({@code k8s.io/apiserver/pkg/storage/value}). The context is authenticated data naming the object
 * ({@code resource/namespace/name}): an encrypting transformer binds the ciphertext to it, so that a value copied
 * into another object's item does not decrypt.
 */
public interface ValueTransformer {
    /** Stores values as they are. */
    ValueTransformer IDENTITY = new ValueTransformer() {
        @Override
        public byte[] toStorage(byte[] data, byte[] context) {
            return data;
        }

        @Override
        public byte[] fromStorage(byte[] stored, byte[] context) {
            return stored;
        }
    };

    byte[] toStorage(byte[] data, byte[] context);

    /** @throws TransformException when the stored bytes cannot be turned back (wrong key, altered or moved value) */
    byte[] fromStorage(byte[] stored, byte[] context);
}
