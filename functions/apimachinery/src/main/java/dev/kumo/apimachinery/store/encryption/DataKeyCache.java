package dev.kumo.apimachinery.store.encryption;

import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Unwrapped data keys by their wrapped form, least recently used first out, so that reading a value costs no call
 * to the key-encryption key (KMS) once its data key was seen. Kubernetes' KMS v2 keeps the same cache.
 */
final class DataKeyCache {
    private final Map<String, byte[]> keys;

    DataKeyCache(int capacity) {
        this.keys = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, byte[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached plaintext of {@code wrapped}, or {@code unwrap}'s answer, which is then cached. */
    byte[] get(byte[] wrapped, Supplier<byte[]> unwrap) {
        String id = Base64.getEncoder().encodeToString(wrapped);
        synchronized (keys) {
            byte[] cached = keys.get(id);
            if (cached != null) {
                return cached;
            }
        }
        // Unwrapping may call KMS: not under the lock. Two readers of a new key may both unwrap it; both answers agree.
        byte[] plaintext = unwrap.get();
        put(wrapped, plaintext);
        return plaintext;
    }

    void put(byte[] wrapped, byte[] plaintext) {
        String id = Base64.getEncoder().encodeToString(wrapped);
        synchronized (keys) {
            keys.put(id, plaintext);
        }
    }
}
