package dev.kumo.infra.ops;

import dev.kumo.infra.state.StateStack;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import java.io.IOException;
import java.util.Map;

/** The state stack's tables and key as its outputs name them, and a DynamoDB client in their region. */
record StateTables(String stack, String objects, String log, String keyArn) {
    static StateTables of(String cluster, AwsCall aws) throws IOException {
        String stack = cluster + "-state";
        Map<String, String> outputs = StackOutputs.of(aws, stack);
        return new StateTables(stack,
                StackOutputs.require(outputs, stack, StateStack.OUTPUT_OBJECTS_TABLE),
                StackOutputs.require(outputs, stack, StateStack.OUTPUT_LOG_TABLE),
                StackOutputs.require(outputs, stack, StateStack.OUTPUT_STORE_KEY));
    }

    /** DynamoDB in the call's region, at the same endpoint override as the other calls. */
    static DynamoDbClient dynamoDb(SdkHttpClient http, AwsCall aws) {
        var builder = DynamoDbClient.builder().httpClient(http).region(Region.of(aws.region()))
                .credentialsProvider(DefaultCredentialsProvider.builder().build());
        aws.endpointOverride("dynamodb").ifPresent(builder::endpointOverride);
        return builder.build();
    }
}
