package dev.kumo.local.lambda;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.controllers.lambda.SqsClients;
import dev.kumo.controllers.lambda.SqsKeyQueues;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.kumo.local.lambda.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/** The fan-out function on the real event log's stream (DynamoDB Local), sending keys to a loop's FIFO queue. */
@ExtendWith(LocalAwsExtension.class)
class FanOutStreamTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final LocalAws aws;
    private LocalLambdaHost host;

    FanOutStreamTest(LocalAws aws) {
        this.aws = aws;
    }

    @AfterEach
    void closeHost() {
        if (host != null) {
            host.close();
        }
    }

    @Test
    void eachCommittedChangeBecomesTheLoopsKeysAndEncryptedOnesComeWithoutTheirValue() throws Exception {
        String suffix = LocalAws.uniqueName("t");
        StoreTables tables = new StoreTables("objects-" + suffix, "log-" + suffix);
        tables.createIfMissing(aws.dynamoDb());
        DynamoStore store = new DynamoStore(aws.dynamoDb(), tables, MAPPER, DynamoStore.Options.defaults(),
                ResourceTransformers.NONE);
        String queue = aws.createQueue(LocalAws.uniqueName("probe") + ".fifo",
                Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        Map<String, String> env = Map.of(AwsClients.ENV_DYNAMODB_ENDPOINT, aws.dynamoDbEndpoint(),
                StoreTables.ENV_OBJECTS_TABLE, tables.objects(), StoreTables.ENV_LOG_TABLE, tables.log(),
                SqsClients.ENV_SQS_ENDPOINT, URI.create(queue).resolve("/").toString(),
                SqsKeyQueues.ENV_LOOP_QUEUES, "probe=" + queue);
        host = new LocalLambdaHost(LocalAws.LOCATION, aws.streams(), aws.sqs());
        host.createFunction(FunctionConfiguration.of("fanout", ProbeFanOutHandler.class.getName())
                .withEnvironment(env));
        String stream = aws.dynamoDb().describeTable(b -> b.tableName(tables.log())).table().latestStreamArn();
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("fanout", stream)
                .startingPosition(StartingPosition.TRIM_HORIZON).build());
        host.start();

        ObjectKey pod = new ObjectKey("pods", "default", "web-1");
        ObjectKey secret = new ObjectKey("secrets", "default", "db-password");
        store.create(pod, object("{\"metadata\":{\"name\":\"web-1\",\"namespace\":\"default\"}}"));
        store.create(secret, object("{\"metadata\":{\"name\":\"db-password\",\"namespace\":\"default\"}}"));

        List<String> bodies = new CopyOnWriteArrayList<>();
        eventually(() -> {
            for (Message message : aws.sqs().receiveMessage(b -> b.queueUrl(queue).maxNumberOfMessages(10))
                    .messages()) {
                bodies.add(message.body());
                aws.sqs().deleteMessage(b -> b.queueUrl(queue).receiptHandle(message.receiptHandle()));
            }
            assertThat(bodies).hasSize(2);
        });
        assertThat(bodies).containsExactlyInAnyOrder(
                "{\"resource\":\"pods\",\"namespace\":\"default\",\"name\":\"web-1\"}",
                "{\"resource\":\"secrets\",\"namespace\":\"default\",\"name\":\"db-password\"}");
        assertThat(ProbeFanOutHandler.WITHOUT_OBJECT).containsExactly(secret);
    }

    private static ObjectNode object(String json) throws Exception {
        return (ObjectNode) MAPPER.readTree(json);
    }
}
