package dev.kumo.apimachinery.store.encryption;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.crypto.AEADBadTagException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Set;

/**
 * A key-encryption key kept in a file (the local cluster's {@code pki/encryption.key}): 32 random bytes, base64
 * encoded as in Kubernetes' {@code EncryptionConfiguration}. Data keys are wrapped with AES-256-GCM under it.
 */
public final class LocalKeyFile implements KeyEncryptionKey {
    private static final Logger LOG = LoggerFactory.getLogger(LocalKeyFile.class);
    private static final byte[] WRAP_CONTEXT = "kumo:data-key".getBytes(StandardCharsets.US_ASCII);
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] key;
    private final String keyId;

    private LocalKeyFile(byte[] key) {
        this.key = key;
        this.keyId = "local:" + fingerprint(key);
    }

    /** Reads the key in {@code file}; it must exist and hold 32 base64-encoded bytes. */
    public static LocalKeyFile load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the encryption key file " + file, e);
        }
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the encryption key file " + file + " does not hold base64", e);
        }
        if (key.length != Aes.KEY_BYTES) {
            throw new IllegalArgumentException("the encryption key file " + file + " holds " + key.length
                    + " bytes; an AES-256 key has " + Aes.KEY_BYTES);
        }
        return new LocalKeyFile(key);
    }

    /** Reads the key in {@code file}, first creating it (owner-only, 0600) with a new random key if it is missing. */
    public static LocalKeyFile loadOrCreate(Path file) {
        if (!Files.exists(file)) {
            byte[] key = Aes.newKey();
            try {
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                Files.writeString(file, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII,
                        StandardOpenOption.TRUNCATE_EXISTING);
                LOG.atInfo().addKeyValue("file", file).log("created a new key-encryption key");
            } catch (FileAlreadyExistsException raced) {
                // Another process created it first: use theirs.
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the encryption key file " + file, e);
            }
        }
        return load(file);
    }

    @Override
    public DataKey generateDataKey() {
        byte[] dataKey = Aes.newKey();
        return new DataKey(dataKey, Aes.seal(key, dataKey, WRAP_CONTEXT), keyId);
    }

    @Override
    public byte[] unwrap(String wrappedBy, byte[] wrapped) {
        if (!keyId.equals(wrappedBy)) {
            throw new TransformException("the data key was wrapped by key " + wrappedBy
                    + ", but the configured key file holds " + keyId);
        }
        try {
            return Aes.open(key, wrapped, WRAP_CONTEXT);
        } catch (AEADBadTagException e) {
            throw new TransformException("the wrapped data key does not open with " + keyId + " (altered?)", e);
        }
    }

    @Override
    public String keyId() {
        return keyId;
    }

    private static String fingerprint(byte[] key) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
