package dev.kumo.apimachinery.aws;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.kms.KmsClient;

import java.net.URI;
import java.util.Map;

/**
 * The SDK clients of kumo's functions, from their environment: the region's endpoints ({@code AWS_REGION}), or a
 * local or emulated server's ({@value #ENV_DYNAMODB_ENDPOINT}, {@value #ENV_KMS_ENDPOINT}, or a variable the
 * caller names), which takes any credentials (the environment map a local host passes holds none). The URL
 * connection HTTP client keeps the Lambda jars small.
 */
public final class AwsClients {
    /** Every function of a cluster shares one store: DynamoDB Local's URL locally. */
    public static final String ENV_DYNAMODB_ENDPOINT = "KUMO_DYNAMODB_ENDPOINT";
    /** A KMS emulator's URL (moto in tests). */
    public static final String ENV_KMS_ENDPOINT = "KUMO_KMS_ENDPOINT";
    private static final StaticCredentialsProvider LOCAL =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private AwsClients() {
    }

    /** A DynamoDB client builder (callers add interceptors), configured from the environment. */
    public static DynamoDbClientBuilder dynamoBuilder(Map<String, String> env) {
        return configure(DynamoDbClient.builder(), env, ENV_DYNAMODB_ENDPOINT);
    }

    public static DynamoDbClient dynamo(Map<String, String> env) {
        return dynamoBuilder(env).build();
    }

    public static KmsClient kms(Map<String, String> env) {
        return configure(KmsClient.builder(), env, ENV_KMS_ENDPOINT).build();
    }

    /**
     * Sets the HTTP client, the region from {@code AWS_REGION}, and, when {@code endpointVariable} names a URL, that
     * endpoint with placeholder credentials (and us-east-1 if no region is given).
     */
    public static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Map<String, String> env, String endpointVariable) {
        builder.httpClient(UrlConnectionHttpClient.create());
        String region = env.getOrDefault("AWS_REGION", "").strip();
        if (!region.isBlank()) {
            builder.region(Region.of(region));
        }
        String endpoint = env.getOrDefault(endpointVariable, "").strip();
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).credentialsProvider(LOCAL);
            if (region.isBlank()) {
                builder.region(Region.US_EAST_1);
            }
        }
        return builder;
    }
}
