package dev.kumo.apimachinery.store.dynamodb;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.encryption.AwsKmsKey;
import dev.kumo.apimachinery.store.encryption.EnvelopeTransformer;
import dev.kumo.apimachinery.store.encryption.LocalKeyFile;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.apimachinery.store.testing.MotoServer;
import dev.kumo.apimachinery.store.testing.RawStoreScan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.kms.KmsClient;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Envelope encryption with AWS KMS as the key-encryption key, against moto's KMS. */
class KmsEncryptedStoreTest {
    private static final String PASSWORD = "kms-protected-password-51c2";
    private static MotoServer moto;
    private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
    private static KmsClient kms;

    @TempDir
    Path dir;
    private final StoreTables tables = LocalDynamo.freshTables();

    /** Per test, so that without moto each test is reported skipped with the install command. */
    @BeforeEach
    void startMoto() {
        if (moto != null) {
            return;
        }
        moto = MotoServer.allServices();
        kms = KmsClient.builder().httpClient(UrlConnectionHttpClient.create())
                .endpointOverride(URI.create(moto.endpoint())).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .overrideConfiguration(c -> c.addExecutionInterceptor(new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                        CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME),
                                k -> new AtomicInteger()).incrementAndGet();
                    }
                })).build();
    }

    @AfterAll
    static void stopMoto() {
        if (kms != null) {
            kms.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    @Test
    void secretsAreSealedUnderAKmsDataKeyAndReadWithOneDecryptPerDataKey() {
        String keyId = kms.createKey(b -> b.description("kumo test")).keyMetadata().arn();
        DynamoStore writer = store(new AwsKmsKey(kms, keyId));
        int generateBefore = calls("GenerateDataKey");
        for (int i = 0; i < 5; i++) {
            writer.create(key("s" + i), secret("s" + i, PASSWORD + i));
        }
        assertThat(calls("GenerateDataKey") - generateBefore).isEqualTo(1);

        assertThat(RawStoreScan.of(LocalDynamo.client(), tables).occurrences(PASSWORD)).isEmpty();
        assertThat(new String(rawValue("ns/s0"), StandardCharsets.ISO_8859_1)).startsWith("k8s:enc:kms:v2:aws-kms:");

        DynamoStore reader = store(new AwsKmsKey(kms, keyId));
        int decryptBefore = calls("Decrypt");
        for (int i = 0; i < 5; i++) {
            assertThat(password(reader.get(key("s" + i)).orElseThrow().value())).isEqualTo(PASSWORD + i);
        }
        assertThat(calls("Decrypt") - decryptBefore).as("one Decrypt for the shared data key, then the cache")
                .isEqualTo(1);
    }

    @Test
    void aDataKeyKmsWillNotDecryptGivesAClearError() {
        String keyId = kms.createKey(b -> b.description("kumo test")).keyMetadata().arn();
        store(new AwsKmsKey(kms, keyId)).create(key("s"), secret("s", PASSWORD));
        // Alter one byte of the wrapped data key inside the stored value: KMS refuses to decrypt it.
        byte[] stored = rawValue("ns/s");
        int keyIdStart = "k8s:enc:kms:v2:aws-kms:".length();
        int keyIdLength = ((stored[keyIdStart] & 0xff) << 8) | (stored[keyIdStart + 1] & 0xff);
        stored[keyIdStart + 2 + keyIdLength + 2 + 20] ^= 0x01;
        LocalDynamo.client().updateItem(b -> b.tableName(tables.objects())
                .key(Map.of("r", AttributeValue.fromS("secrets"), "k", AttributeValue.fromS("ns/s")))
                .updateExpression("SET v = :v").expressionAttributeValues(Map.of(":v",
                        AttributeValue.fromB(software.amazon.awssdk.core.SdkBytes.fromByteArray(stored)))));

        assertThatThrownBy(() -> store(new AwsKmsKey(kms, keyId)).get(key("s")))
                .isInstanceOf(StoreException.TransformFailed.class)
                .hasMessageStartingWith("unable to transform key \"secrets/ns/s\": AWS KMS could not decrypt the data key"
                        + " wrapped by " + keyId);
    }

    @Test
    void theEnvironmentConfiguresKmsForWritesAndKeepsValuesOfTheLocalKeyReadable() {
        String keyId = kms.createKey(b -> b.description("kumo test, from the environment")).keyMetadata().arn();
        Path keyFile = dir.resolve("encryption.key");
        LocalKeyFile local = LocalKeyFile.loadOrCreate(keyFile);
        LocalDynamo.store(tables, new ResourceTransformers(Set.of("secrets"),
                List.of(new EnvelopeTransformer("local", local)))).create(key("old"), secret("old", PASSWORD));

        String previousId = System.setProperty("aws.accessKeyId", "testing");
        String previousSecret = System.setProperty("aws.secretAccessKey", "testing");
        try {
            ResourceTransformers transformers = StorageEncryption.fromEnvironment(Map.of(
                    StorageEncryption.ENV_KMS_KEY_ID, keyId, StorageEncryption.ENV_KMS_ENDPOINT, moto.endpoint(),
                    StorageEncryption.ENV_KEY_FILE, keyFile.toString(), "AWS_REGION", "us-east-1"));
            DynamoStore store = LocalDynamo.store(tables, transformers);
            store.create(key("new"), secret("new", PASSWORD));

            assertThat(new String(rawValue("ns/new"), StandardCharsets.ISO_8859_1)).startsWith("k8s:enc:kms:v2:aws-kms:");
            assertThat(password(store.get(key("old")).orElseThrow().value())).isEqualTo(PASSWORD);
            assertThat(password(store.get(key("new")).orElseThrow().value())).isEqualTo(PASSWORD);
        } finally {
            restore("aws.accessKeyId", previousId);
            restore("aws.secretAccessKey", previousSecret);
        }
    }

    private DynamoStore store(AwsKmsKey key) {
        return LocalDynamo.store(tables, new ResourceTransformers(Set.of("secrets"),
                List.of(new EnvelopeTransformer("aws-kms", key))));
    }

    private static int calls(String operation) {
        return CALLS.getOrDefault(operation, new AtomicInteger()).get();
    }

    private static ObjectKey key(String name) {
        return Objects.secretKey(name);
    }

    private static ObjectNode secret(String name, String password) {
        return Objects.secret(name, Map.of("password", password));
    }

    private static String password(ObjectNode secret) {
        return Objects.secretData(secret, "password");
    }

    private byte[] rawValue(String storageKey) {
        return LocalDynamo.storedValue(tables, "secrets", storageKey);
    }

    private static void restore(String property, String previous) {
        if (previous == null) {
            System.clearProperty(property);
        } else {
            System.setProperty(property, previous);
        }
    }
}
