package dev.kumo.controllers.lambda;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.net.URI;
import java.util.Map;

/**
 * The SDK clients of the loop functions, from their environment: the region's endpoints ({@code AWS_REGION}), or a
 * local server's ({@value #ENV_SQS_ENDPOINT}, {@value #ENV_DYNAMODB_ENDPOINT}), which takes any credentials (the
 * environment map a local host passes holds none).
 */
public final class AwsClients {
    public static final String ENV_SQS_ENDPOINT = "KUMO_SQS_ENDPOINT";
    /** The variable apiserver's {@code ServerFactory} reads too: every function of a cluster shares one store. */
    public static final String ENV_DYNAMODB_ENDPOINT = "KUMO_DYNAMODB_ENDPOINT";
    private static final StaticCredentialsProvider LOCAL =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));

    private AwsClients() {
    }

    static SqsClient sqs(Map<String, String> env) {
        return configure(SqsClient.builder(), env, ENV_SQS_ENDPOINT).build();
    }

    static DynamoDbClient dynamo(Map<String, String> env) {
        return configure(DynamoDbClient.builder(), env, ENV_DYNAMODB_ENDPOINT).build();
    }

    private static <B extends AwsClientBuilder<B, ?> & AwsSyncClientBuilder<B, ?>> B configure(
            B builder, Map<String, String> env, String endpointVariable) {
        builder.httpClient(UrlConnectionHttpClient.create());
        String region = env.getOrDefault("AWS_REGION", "");
        if (!region.isBlank()) {
            builder.region(Region.of(region));
        }
        String endpoint = env.getOrDefault(endpointVariable, "");
        if (!endpoint.isBlank()) {
            builder.endpointOverride(URI.create(endpoint)).credentialsProvider(LOCAL);
            if (region.isBlank()) {
                builder.region(Region.US_EAST_1);
            }
        }
        return builder;
    }
}
