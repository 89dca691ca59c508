package dev.kumo.controllers.lambda;

import dev.kumo.apimachinery.aws.AwsClients;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.util.Map;

/** The loop functions' SQS client: the region's endpoint, or the local server's ({@value #ENV_SQS_ENDPOINT}). */
public final class SqsClients {
    public static final String ENV_SQS_ENDPOINT = "KUMO_SQS_ENDPOINT";

    private SqsClients() {
    }

    static SqsClient sqs(Map<String, String> env) {
        return AwsClients.configure(SqsClient.builder(), env, ENV_SQS_ENDPOINT).build();
    }
}
