package dev.kumo.apimachinery.store.dynamodb;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

/** Amazon's DynamoDB Local, embedded in the test JVM (telemetry off), shared by the store tests. */
final class LocalDynamo {
    private static final AtomicReference<AmazonDynamoDBLocal> INSTANCE = new AtomicReference<>();

    private LocalDynamo() {
    }

    static synchronized DynamoDbClient client() {
        if (INSTANCE.get() == null) {
            System.setProperty("sqlite4java.library.path", System.getProperty("java.io.tmpdir"));
            INSTANCE.set(DynamoDBEmbedded.create(true));
        }
        return INSTANCE.get().dynamoDbClient();
    }

    /** The streams client of the same emulator (the log table's stream of new images). */
    static synchronized software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient streams() {
        client();
        return INSTANCE.get().dynamoDbStreamsClient();
    }

    /** Fresh tables for one test, so tests do not see each other's revisions. */
    static StoreTables freshTables() {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        StoreTables tables = new StoreTables("objects-" + suffix, "log-" + suffix);
        tables.createIfMissing(client());
        return tables;
    }

    static DynamoStore store(StoreTables tables) {
        return store(tables, Duration.ofMillis(200));
    }

    static DynamoStore store(StoreTables tables, Duration gapTimeout) {
        return new DynamoStore(client(), tables, new ObjectMapper(),
                new DynamoStore.Options(gapTimeout, Duration.ofMillis(100), java.time.Clock.systemUTC()));
    }

    /** A store whose values go through {@code transformers}. */
    static DynamoStore store(StoreTables tables, ResourceTransformers transformers) {
        return new DynamoStore(client(), tables, new ObjectMapper(),
                new DynamoStore.Options(Duration.ofMillis(200), Duration.ofMillis(100), java.time.Clock.systemUTC()),
                transformers);
    }

    /** The bytes an object's item holds inline, read raw. */
    static byte[] storedValue(StoreTables tables, String resource, String storageKey) {
        return client().getItem(b -> b.tableName(tables.objects()).key(Map.of("r", AttributeValue.fromS(resource),
                "k", AttributeValue.fromS(storageKey)))).item().get("v").b().asByteArray();
    }
}
