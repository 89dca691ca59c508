package dev.kumo.local.lambda;

import com.amazonaws.services.dynamodbv2.local.embedded.DynamoDBEmbedded;
import com.amazonaws.services.dynamodbv2.local.shared.access.AmazonDynamoDBLocal;
import java.util.List;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * A table whose stream has real shard lineage. DynamoDB Local rolls shards over only every few hours in server mode
 * and offers no request to force it there; its embedded form exposes {@code triggerShardRollovers()}, which closes
 * the open shard and opens a child of it. The embedded {@link DynamoDbStreamsClient} is DynamoDB Local's own
 * implementation of the SDK interface, backed by the same storage as the server.
 */
final class RolledStream implements AutoCloseable {

    final AmazonDynamoDBLocal dynamoDbLocal;
    final DynamoDbClient dynamoDb;
    final DynamoDbStreamsClient streams;
    final String table;
    final String streamArn;

    RolledStream() {
        LocalAws.useSqliteNativesFromClasspath();
        this.dynamoDbLocal = DynamoDBEmbedded.create(true);
        this.dynamoDb = dynamoDbLocal.dynamoDbClient();
        this.streams = dynamoDbLocal.dynamoDbStreamsClient();
        this.table = LocalAws.uniqueName("rolled");
        this.streamArn = LocalAws.createTableWithStream(dynamoDb, table);
    }

    void write(String... pks) {
        for (String pk : pks) {
            LocalAws.put(dynamoDb, table, pk, 1);
        }
    }

    /** Closes the open shard; the next write lands in its new child. */
    void rollOver() {
        dynamoDbLocal.triggerShardRollovers();
    }

    List<Shard> shards() {
        return streams.describeStream(b -> b.streamArn(streamArn)).streamDescription().shards();
    }

    @Override
    public void close() {
        dynamoDbLocal.shutdownNow();
    }
}
