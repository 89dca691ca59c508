package dev.kumo.e2e.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apiserver.resources.BuiltinResources;
import dev.kumo.apiserver.resources.ResourceDefinition;
import dev.kumo.local.LocalCluster;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.net.URI;
import java.time.Clock;
import java.util.Map;

/**
 * The cluster's store as a maintenance job sees it, beside the API server: through the cluster's DynamoDB
 * endpoint and the tables the local cluster creates. Used to compact a resource's history, which the API server
 * then reports as {@code 410 Gone} to watches and reads from before it.
 */
public final class StoreMaintenance implements AutoCloseable {
    private final DynamoDbClient dynamo;
    private final DynamoStore store;

    public StoreMaintenance(LocalCluster cluster) {
        this.dynamo = DynamoDbClient.builder().endpointOverride(URI.create(cluster.dynamoEndpoint()))
                .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
                .build();
        // The local cluster creates the tables under their default names (StoreTables.fromEnvironment(Map.of())).
        this.store = new DynamoStore(dynamo, StoreTables.fromEnvironment(Map.of()), new ObjectMapper(),
                DynamoStore.Options.defaults());
    }

    /** Compacts a resource's history up to {@code revision} (a resourceVersion the API served). */
    public void compact(String group, String version, String resource, long revision) {
        ResourceDefinition definition = BuiltinResources.create(Clock.systemUTC()).find(group, version, resource)
                .orElseThrow(() -> new IllegalArgumentException("kumo serves no " + resource));
        store.compact(definition.storageResource(), revision);
    }

    @Override
    public void close() {
        dynamo.close();
    }
}
