package dev.kumo.controllers.lambda;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.SqsClientBuilder;

import java.net.URI;
import java.util.Map;

/** The SQS client of a loop function: the region's endpoint, or {@code KUMO_SQS_ENDPOINT} (the local server). */
final class Sqs {
    static final String ENV_ENDPOINT = "KUMO_SQS_ENDPOINT";

    private Sqs() {
    }

    static SqsClient client(Map<String, String> env) {
        SqsClientBuilder builder = SqsClient.builder().httpClient(UrlConnectionHttpClient.create());
        String region = env.get("AWS_REGION");
        if (region != null && !region.isBlank()) {
            builder.region(Region.of(region));
        }
        String endpoint = env.get(ENV_ENDPOINT);
        if (endpoint != null && !endpoint.isBlank()) {
            // The local SQS server takes any credentials; the function's environment map holds none.
            builder.endpointOverride(URI.create(endpoint)).region(Region.of(env.getOrDefault("AWS_REGION",
                            "us-east-1")))
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("local",
                            "local")));
        }
        return builder.build();
    }
}
