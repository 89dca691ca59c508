package dev.kumo.local;

import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.client.RootCaBundle;
import dev.kumo.controllers.lambda.ApiConnection;
import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.lambda.FanOutHandler;
import dev.kumo.controllers.lambda.LoopCatalog;
import dev.kumo.controllers.lambda.ResyncTickHandler;
import dev.kumo.controllers.lambda.SqsClients;
import dev.kumo.controllers.lambda.SqsKeyQueues;
import dev.kumo.controllers.lambda.TimerHandler;
import dev.kumo.local.lambda.DynamoDbStreamMapping;
import dev.kumo.local.lambda.FunctionConfiguration;
import dev.kumo.local.lambda.LocalLambdaHost;
import dev.kumo.local.lambda.ScheduleRule;
import dev.kumo.local.lambda.SqsMapping;
import dev.kumo.local.lambda.StartingPosition;
import dev.kumo.local.pki.LocalCredentials;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The control loops in the local Lambda host, laid out as the CDK app lays them out in AWS: the fan-out function on
 * the event log's stream, one SQS FIFO queue (with a dead-letter queue after {@value #MAX_RECEIVES} receives) and
 * one function per loop of {@link LoopCatalog}, the timer queue for requeue-after, and the minute tick.
 */
final class LocalControlLoops {
    static final int MAX_RECEIVES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(LocalControlLoops.class);

    private final Map<String, String> loopQueues = new LinkedHashMap<>();
    private final Map<String, String> deadLetterQueues = new LinkedHashMap<>();

    /**
     * @param environment   the store's settings every function shares (DynamoDB endpoint, tables, region)
     * @param sqsEndpoint   the local SQS server
     * @param apiServer     the API's URL, and {@code caFile} the CA its certificate chains to
     */
    static LocalControlLoops start(LocalLambdaHost host, SqsClient sqs, DynamoDbClient dynamo,
                                   Map<String, String> environment, String sqsEndpoint, String apiServer,
                                   String caFile, LocalCredentials credentials) {
        LocalControlLoops loops = new LocalControlLoops();
        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            String deadLetter = loops.queue(sqs, "kumo-" + entry.name() + "-dlq.fifo", true, null);
            loops.deadLetterQueues.put(entry.name(), deadLetter);
            loops.loopQueues.put(entry.name(), loops.queue(sqs, "kumo-" + entry.name() + ".fifo", true, deadLetter));
        }
        String timerDeadLetter = loops.queue(sqs, "kumo-timer-dlq", false, null);
        loops.deadLetterQueues.put("timer", timerDeadLetter);
        String timer = loops.queue(sqs, "kumo-timer", false, timerDeadLetter);

        Map<String, String> shared = new HashMap<>(environment);
        shared.put(SqsClients.ENV_SQS_ENDPOINT, sqsEndpoint);
        shared.put(SqsKeyQueues.ENV_LOOP_QUEUES, loops.queueList());
        shared.put(SqsKeyQueues.ENV_TIMER_QUEUE, timer);

        for (LoopCatalog.Entry entry : LoopCatalog.entries()) {
            LocalCredentials.Component component = LocalCredentials.componentOf(entry.user());
            Map<String, String> env = new HashMap<>(shared);
            env.put(ControlLoopHandler.ENV_LOOP, entry.name());
            env.put(ApiConnection.ENV_SERVER, apiServer);
            env.put(ApiConnection.ENV_CA_FILE, caFile);
            env.put(RootCaBundle.ENV_FILE, caFile); // the CA pods trust for the API is the cluster's own
            env.put(ApiConnection.ENV_TOKEN_FILE, credentials.componentTokenFile(component).toString());
            String function = "kumo-loop-" + entry.name();
            host.createFunction(FunctionConfiguration.of(function, ControlLoopHandler.class.getName())
                    .withEnvironment(env).withTimeout(Duration.ofMinutes(1)));
            host.createEventSourceMapping(SqsMapping.of(function, loops.loopQueues.get(entry.name()))
                    .withReportBatchItemFailures(true).withMaximumConcurrency(4)
                    .withReceiveWaitTime(Duration.ofSeconds(1)));
        }

        host.createFunction(FunctionConfiguration.of("kumo-timer", TimerHandler.class.getName())
                .withEnvironment(shared));
        host.createEventSourceMapping(SqsMapping.of("kumo-timer", timer).withReportBatchItemFailures(true)
                .withReceiveWaitTime(Duration.ofSeconds(1)));
        host.createFunction(FunctionConfiguration.of("kumo-resync-tick", ResyncTickHandler.class.getName())
                .withEnvironment(shared).withReservedConcurrentExecutions(1));
        host.putRule(new ScheduleRule("kumo-resync-tick", "kumo-resync-tick", Duration.ofMinutes(1)));

        // The one reader of the log's stream, from the oldest record kept: a restarted cluster catches up on what
        // changed while it was down (reconciling again what was done already is harmless).
        String fanOutFailures = loops.queue(sqs, "kumo-fanout-failures", false, null);
        loops.deadLetterQueues.put("fanout", fanOutFailures);
        StoreTables tables = StoreTables.fromEnvironment(environment);
        String stream = dynamo.describeTable(b -> b.tableName(tables.log())).table().latestStreamArn();
        host.createFunction(FunctionConfiguration.of("kumo-fanout", FanOutHandler.class.getName())
                .withEnvironment(shared).withReservedConcurrentExecutions(1));
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("kumo-fanout", stream)
                .startingPosition(StartingPosition.TRIM_HORIZON).batchSize(100)
                .bisectBatchOnFunctionError(true).onFailureDestination(fanOutFailures).build());
        LOG.atInfo().addKeyValue("loops", loops.loopQueues.keySet()).log("control loops started");
        return loops;
    }

    private String queue(SqsClient sqs, String name, boolean fifo, String deadLetterQueue) {
        Map<QueueAttributeName, String> attributes = new HashMap<>();
        if (fifo) {
            attributes.put(QueueAttributeName.FIFO_QUEUE, "true");
        }
        // Longer than a loop function's timeout, so a key is not handed to a second invocation while it runs.
        attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, "90");
        if (deadLetterQueue != null) {
            String arn = sqs.getQueueAttributes(b -> b.queueUrl(deadLetterQueue)
                    .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
            attributes.put(QueueAttributeName.REDRIVE_POLICY,
                    "{\"maxReceiveCount\":\"" + MAX_RECEIVES + "\",\"deadLetterTargetArn\":\"" + arn + "\"}");
        }
        return sqs.createQueue(b -> b.queueName(name).attributes(attributes)).queueUrl();
    }

    private String queueList() {
        StringJoiner list = new StringJoiner(",");
        loopQueues.forEach((loop, url) -> list.add(loop + "=" + url));
        return list.toString();
    }

    /** Each dead-letter queue, by loop name ({@code timer}, {@code fanout} for those functions'). */
    Map<String, String> deadLetterQueues() {
        return Map.copyOf(deadLetterQueues);
    }
}
