package dev.kumo.local;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;

/** SDK clients for the local servers: loopback endpoints, a fixed region, dummy credentials. */
final class LocalAwsClients {
    private static final StaticCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private final String dynamoEndpoint;

    LocalAwsClients(String dynamoEndpoint) {
        this.dynamoEndpoint = dynamoEndpoint;
    }

    DynamoDbClient dynamo() {
        return DynamoDbClient.builder().endpointOverride(URI.create(dynamoEndpoint)).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(CREDENTIALS).build();
    }

    DynamoDbStreamsClient streams() {
        return DynamoDbStreamsClient.builder().endpointOverride(URI.create(dynamoEndpoint)).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(CREDENTIALS).build();
    }

    SqsClient sqs(int port) {
        return SqsClient.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create()).credentialsProvider(CREDENTIALS).build();
    }
}
