package dev.kumo.apimachinery.store.encryption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;

/**
 * Envelope encryption as Kubernetes' KMS v2 provider does it: a value is sealed with AES-256-GCM under a data key
 * (DEK), and the DEK, wrapped by the key-encryption key, is stored beside it. One DEK serves many writes (a KMS
 * call per rotation, not per write) and is replaced after {@code maxUses} writes or {@code maxAge}; unwrapped DEKs
 * are cached by their wrapped form, so a read costs no KMS call in the common case.
 *
 * <p>Stored format: the prefix {@code k8s:enc:kms:v2:<provider>:}, then a 2-byte length and the UTF-8 id of the
 * key that wrapped the DEK, a 2-byte length and the wrapped DEK, then {@code nonce || ciphertext || tag}. The
 * authenticated data is the object's {@code resource/namespace/name}.
 */
public final class EnvelopeTransformer implements ValueTransformer {
    private static final Logger LOG = LoggerFactory.getLogger(EnvelopeTransformer.class);
    /** Every encrypted value starts with this; what follows up to the next ':' names the provider. */
    public static final String PREFIX_BASE = "k8s:enc:kms:v2:";
    /** Random 96-bit nonces stay far from collision for this many messages per key (NIST SP 800-38D allows 2^32). */
    public static final long DEFAULT_MAX_USES = 1L << 24;
    public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(1);
    private static final int CACHE_CAPACITY = 1024;

    private final String provider;
    private final byte[] prefix;
    private final KeyEncryptionKey kek;
    private final long maxUses;
    private final Duration maxAge;
    private final Clock clock;
    private final DataKeyCache cache = new DataKeyCache(CACHE_CAPACITY);
    private CurrentKey current;

    private record CurrentKey(KeyEncryptionKey.DataKey key, Instant created, long[] uses) {
    }

    public EnvelopeTransformer(String provider, KeyEncryptionKey kek) {
        this(provider, kek, DEFAULT_MAX_USES, DEFAULT_MAX_AGE, Clock.systemUTC());
    }

    public EnvelopeTransformer(String provider, KeyEncryptionKey kek, long maxUses, Duration maxAge, Clock clock) {
        if (!provider.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("a provider name is lower-case letters, digits and '-': " + provider);
        }
        this.provider = provider;
        this.prefix = (PREFIX_BASE + provider + ":").getBytes(StandardCharsets.US_ASCII);
        this.kek = kek;
        this.maxUses = maxUses;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public String provider() {
        return provider;
    }

    boolean wrote(byte[] stored) {
        return startsWith(stored, prefix);
    }

    @Override
    public byte[] toStorage(byte[] data, byte[] context) {
        KeyEncryptionKey.DataKey key = dataKeyForWrite();
        byte[] keyId = key.keyId().getBytes(StandardCharsets.UTF_8);
        byte[] sealed = Aes.seal(key.plaintext(), data, context);
        ByteArrayOutputStream out = new ByteArrayOutputStream(prefix.length + 4 + keyId.length
                + key.wrapped().length + sealed.length);
        out.writeBytes(prefix);
        writeField(out, keyId);
        writeField(out, key.wrapped());
        out.writeBytes(sealed);
        return out.toByteArray();
    }

    @Override
    public byte[] fromStorage(byte[] stored, byte[] context) {
        if (!wrote(stored)) {
            throw new TransformException("the value was not written by provider " + provider);
        }
        ByteBuffer in = ByteBuffer.wrap(stored, prefix.length, stored.length - prefix.length);
        String keyId;
        byte[] wrapped;
        try {
            keyId = new String(readField(in), StandardCharsets.UTF_8);
            wrapped = readField(in);
        } catch (BufferUnderflowException e) {
            throw new TransformException("the encrypted value is truncated", e);
        }
        byte[] sealed = Arrays.copyOfRange(stored, in.position(), stored.length);
        byte[] dataKey = cache.get(wrapped, () -> kek.unwrap(keyId, wrapped));
        try {
            return Aes.open(dataKey, sealed, context);
        } catch (AEADBadTagException e) {
            throw new TransformException("the value does not decrypt for "
                    + new String(context, StandardCharsets.UTF_8)
                    + ": it was altered, or copied from another object", e);
        }
    }

    private synchronized KeyEncryptionKey.DataKey dataKeyForWrite() {
        Instant now = clock.instant();
        if (current == null || current.uses()[0] >= maxUses || !now.isBefore(current.created().plus(maxAge))) {
            KeyEncryptionKey.DataKey fresh = kek.generateDataKey();
            cache.put(fresh.wrapped(), fresh.plaintext());
            LOG.atInfo().addKeyValue("provider", provider).addKeyValue("keyId", fresh.keyId())
                    .addKeyValue("previousUses", current == null ? 0 : current.uses()[0])
                    .log("generated a new data encryption key");
            current = new CurrentKey(fresh, now, new long[1]);
        }
        current.uses()[0]++;
        return current.key();
    }

    private static void writeField(ByteArrayOutputStream out, byte[] field) {
        if (field.length > 0xFFFF) {
            throw new TransformException("a key field of " + field.length + " bytes does not fit the format");
        }
        out.write(field.length >>> 8);
        out.write(field.length & 0xFF);
        out.writeBytes(field);
    }

    private static byte[] readField(ByteBuffer in) {
        int length = Short.toUnsignedInt(in.getShort());
        byte[] field = new byte[length];
        in.get(field);
        return field;
    }

    static boolean startsWith(byte[] data, byte[] prefix) {
        return data.length >= prefix.length && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }
}
