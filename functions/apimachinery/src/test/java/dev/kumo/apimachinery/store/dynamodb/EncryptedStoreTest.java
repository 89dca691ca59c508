package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.encryption.EnvelopeTransformer;
import dev.kumo.apimachinery.store.encryption.KeyEncryptionKey;
import dev.kumo.apimachinery.store.encryption.LocalKeyFile;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apimachinery.store.testing.RawStoreScan;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.kumo.apimachinery.store.dynamodb.Objects.secret;
import static dev.kumo.apimachinery.store.dynamodb.Objects.secretData;
import static dev.kumo.apimachinery.store.dynamodb.Objects.secretKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EncryptedStoreTest {
    private static final String PASSWORD = "correct-horse-battery-staple-7d3f";
    private static final String TOKEN = "tok-9b1e44c0a2f54d6e8f7a";

    @TempDir
    Path dir;
    private final StoreTables tables = LocalDynamo.freshTables();

    @Test
    void secretsAreCiphertextInObjectsLogAndChunksWhileTheStoreReadsThemBack() {
        DynamoStore store = store(localKey("encryption.key"));
        ObjectKey small = secretKey("small");
        ObjectKey large = secretKey("large");
        String bulk = randomPrintable(1_200_000); // incompressible: gzip leaves it over one item, so it is chunked
        StoredObject created = store.create(small, secret("small", Map.of("password", PASSWORD)));
        store.update(small, secret("small", Map.of("password", PASSWORD, "token", TOKEN)), created.revision());
        store.create(large, secret("large", Map.of("bulk", bulk, "password", PASSWORD)));
        store.delete(small, 0);

        RawStoreScan scan = RawStoreScan.of(LocalDynamo.client(), tables);
        assertThat(scan.size()).isGreaterThan(10);
        assertThat(scan.occurrences(PASSWORD)).isEmpty();
        assertThat(scan.occurrences(TOKEN)).isEmpty();
        assertThat(scan.occurrences(bulk.substring(500_000, 500_040))).isEmpty();
        assertThat(chunkPartitions()).as("the large secret is stored in chunks").isNotEmpty();

        assertThat(secretData(store.get(large).orElseThrow().value(), "bulk")).isEqualTo(bulk);
        assertThat(store.list("secrets", ListOptions.all("")).items()).hasSize(1);
        assertThat(store.watch("secrets", 0, Duration.ZERO).events()).hasSize(4)
                .allSatisfy(event -> assertThat(secretData(event.object(), "password")).isEqualTo(PASSWORD));
        assertThat(secretData(store.getAtRevision("secrets", created.revision()).orElseThrow().value(), "password"))
                .isEqualTo(PASSWORD);
    }

    @Test
    void theScanFindsSecretsThatAreNotEncrypted() {
        // The control for the test above: without a key, the same scan finds every value.
        DynamoStore store = LocalDynamo.store(tables);
        store.create(secretKey("plain"), secret("plain", Map.of("password", PASSWORD)));
        store.create(secretKey("large"), secret("large", Map.of("bulk", randomPrintable(1_200_000), "token", TOKEN)));

        RawStoreScan scan = RawStoreScan.of(LocalDynamo.client(), tables);
        assertThat(scan.occurrences(PASSWORD)).isNotEmpty();
        assertThat(scan.occurrences(TOKEN)).isNotEmpty();
    }

    @Test
    void otherResourcesStayPlainAndStoredSecretsCarryTheKmsV2Prefix() {
        DynamoStore store = store(localKey("encryption.key"));
        store.create(secretKey("s"), secret("s", Map.of("password", PASSWORD)));
        store.create(Objects.key("ns", "cm"), Objects.configMap("ns", "cm", TOKEN));

        assertThat(new String(rawValue("secrets", "ns/s"), StandardCharsets.ISO_8859_1))
                .startsWith("k8s:enc:kms:v2:local:");
        assertThat(rawValue("configmaps", "ns/cm")).startsWith(0x1f, 0x8b); // gzip, unencrypted
    }

    @Test
    void aValueWrittenBeforeEncryptionWasEnabledStaysReadableAndIsEncryptedOnItsNextWrite() {
        StoredObject before = LocalDynamo.store(tables).create(secretKey("old"), secret("old", Map.of("password", PASSWORD)));
        DynamoStore encrypted = store(localKey("encryption.key"));

        assertThat(secretData(encrypted.get(secretKey("old")).orElseThrow().value(), "password")).isEqualTo(PASSWORD);
        encrypted.update(secretKey("old"), secret("old", Map.of("password", TOKEN)), before.revision());
        assertThat(new String(rawValue("secrets", "ns/old"), StandardCharsets.ISO_8859_1)).startsWith("k8s:enc:");
        assertThat(secretData(encrypted.get(secretKey("old")).orElseThrow().value(), "password")).isEqualTo(TOKEN);
    }

    @Test
    void aDifferentKeyGivesAClearErrorNotGarbage() {
        store(localKey("first.key")).create(secretKey("s"), secret("s", Map.of("password", PASSWORD)));
        DynamoStore other = store(localKey("second.key"));

        assertThatThrownBy(() -> other.get(secretKey("s")))
                .isInstanceOf(StoreException.TransformFailed.class)
                .hasMessageStartingWith("unable to transform key \"secrets/ns/s\": the data key was wrapped by key local:")
                .hasMessageContaining("but the configured key file holds local:");
        assertThatThrownBy(() -> other.list("secrets", ListOptions.all("")))
                .isInstanceOf(StoreException.TransformFailed.class);
    }

    @Test
    void anEncryptedValueReadWithoutAnyKeyConfiguredSaysWhichProviderIsMissing() {
        store(localKey("encryption.key")).create(secretKey("s"), secret("s", Map.of("password", PASSWORD)));

        assertThatThrownBy(() -> LocalDynamo.store(tables).get(secretKey("s")))
                .isInstanceOf(StoreException.TransformFailed.class)
                .hasMessageContaining("encrypted (k8s:enc:kms:v2:local) by a provider that is not configured");
    }

    @Test
    void aCiphertextCopiedIntoAnotherObjectsItemDoesNotDecrypt() {
        DynamoStore store = store(localKey("encryption.key"));
        store.create(secretKey("victim"), secret("victim", Map.of("password", PASSWORD)));
        store.create(secretKey("mine"), secret("mine", Map.of("password", "nothing")));
        Map<String, AttributeValue> mine = new HashMap<>(LocalDynamo.client().getItem(b -> b.tableName(tables.objects())
                .key(Map.of("r", AttributeValue.fromS("secrets"), "k", AttributeValue.fromS("ns/mine")))).item());
        mine.put("v", AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(
                rawValue("secrets", "ns/victim"))));
        LocalDynamo.client().putItem(b -> b.tableName(tables.objects()).item(mine));

        assertThatThrownBy(() -> store.get(secretKey("mine")))
                .isInstanceOf(StoreException.TransformFailed.class)
                .hasMessageContaining("does not decrypt for secrets/ns/mine: it was altered, or copied from another object");
    }

    @Test
    void oneDataKeyServesManyWritesAndReadsUnwrapItOnlyOnce() {
        CountingKey key = new CountingKey(localKey("encryption.key"));
        DynamoStore writer = store(key);
        for (int i = 0; i < 20; i++) {
            writer.create(secretKey("s" + i), secret("s" + i, Map.of("password", PASSWORD + i)));
        }
        assertThat(key.generated.get()).isEqualTo(1);
        assertThat(key.unwrapped.get()).as("the writer's own data key is cached when made").isZero();

        CountingKey readerKey = new CountingKey(key.delegate);
        DynamoStore reader = store(readerKey);
        for (int i = 0; i < 20; i++) {
            assertThat(secretData(reader.get(secretKey("s" + i)).orElseThrow().value(), "password")).isEqualTo(PASSWORD + i);
        }
        assertThat(readerKey.unwrapped.get()).isEqualTo(1);
    }

    @Test
    void theDataKeyIsReplacedAfterItsUses() {
        CountingKey key = new CountingKey(localKey("encryption.key"));
        DynamoStore store = LocalDynamo.store(tables, new ResourceTransformers(Set.of("secrets"),
                        List.of(new EnvelopeTransformer("local", key, 3, Duration.ofHours(1), Clock.systemUTC()))));
        for (int i = 0; i < 7; i++) {
            store.create(secretKey("s" + i), secret("s" + i, Map.of("password", PASSWORD)));
        }
        assertThat(key.generated.get()).isEqualTo(3);
        assertThat(secretData(store(key.delegate).get(secretKey("s0")).orElseThrow().value(), "password")).isEqualTo(PASSWORD);
    }

    @Test
    void theLocalKeyFileIsCreatedOwnerOnlyAndKeptAcrossRestarts() throws Exception {
        Path file = dir.resolve("pki/encryption.key");
        LocalKeyFile first = LocalKeyFile.loadOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(Base64.getDecoder().decode(Files.readString(file).strip())).hasSize(32);
        assertThat(LocalKeyFile.loadOrCreate(file).keyId()).isEqualTo(first.keyId());
    }

    @Test
    void aKeyFileThatIsNotAnAes256KeyIsRefusedWithTheReason() throws Exception {
        Path file = dir.resolve("short.key");
        Files.writeString(file, Base64.getEncoder().encodeToString(new byte[16]));

        assertThatThrownBy(() -> LocalKeyFile.load(file)).hasMessage("the encryption key file " + file
                + " holds 16 bytes; an AES-256 key has 32");
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private LocalKeyFile localKey(String name) {
        return LocalKeyFile.loadOrCreate(dir.resolve(name));
    }

    private DynamoStore store(KeyEncryptionKey key) {
        return LocalDynamo.store(tables, new ResourceTransformers(Set.of("secrets"),
                List.of(new EnvelopeTransformer("local", key))));
    }

    private byte[] rawValue(String resource, String storageKey) {
        return LocalDynamo.storedValue(tables, resource, storageKey);
    }

    private List<String> chunkPartitions() {
        return LocalDynamo.client().scanPaginator(b -> b.tableName(tables.objects())).items().stream()
                .map(item -> item.get("r").s()).filter(r -> r.startsWith("~chunk/secrets/")).distinct().toList();
    }

    private static String randomPrintable(int length) {
        SecureRandom random = new SecureRandom();
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('!' + random.nextInt(94)));
        }
        return text.toString();
    }

    /** The real key, with its calls counted. */
    private static final class CountingKey implements KeyEncryptionKey {
        final KeyEncryptionKey delegate;
        final AtomicInteger generated = new AtomicInteger();
        final AtomicInteger unwrapped = new AtomicInteger();

        CountingKey(KeyEncryptionKey delegate) {
            this.delegate = delegate;
        }

        @Override
        public DataKey generateDataKey() {
            generated.incrementAndGet();
            return delegate.generateDataKey();
        }

        @Override
        public byte[] unwrap(String keyId, byte[] wrapped) {
            unwrapped.incrementAndGet();
            return delegate.unwrap(keyId, wrapped);
        }

        @Override
        public String keyId() {
            return delegate.keyId();
        }
    }
}
