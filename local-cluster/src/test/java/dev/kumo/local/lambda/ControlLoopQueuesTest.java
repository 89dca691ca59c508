package dev.kumo.local.lambda;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.lambda.ResyncTickHandler;
import dev.kumo.controllers.lambda.SqsClients;
import dev.kumo.controllers.lambda.SqsKeyQueues;
import dev.kumo.controllers.lambda.TimerHandler;
import dev.kumo.controllers.runtime.Delivery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.kumo.local.lambda.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loops' queues as the hosts lay them out, on ElasticMQ (which dead-letters and deduplicates as SQS does), with
 * the real handlers in the local Lambda host: a loop's FIFO queue with its dead-letter queue, the timer queue, the
 * tick.
 */
@ExtendWith(LocalAwsExtension.class)
class ControlLoopQueuesTest {
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final LocalAws aws;
    private LocalLambdaHost host;
    private String loopQueue;
    private String deadLetters;
    private SqsKeyQueues queues;
    private Map<String, String> env;

    ControlLoopQueuesTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createQueues() {
        ProbeLoopHandler.RECONCILED.clear();
        deadLetters = aws.createQueue(LocalAws.uniqueName("probe-dlq") + ".fifo",
                Map.of(QueueAttributeName.FIFO_QUEUE, "true"));
        loopQueue = aws.createQueue(LocalAws.uniqueName("probe") + ".fifo", Map.of(
                QueueAttributeName.FIFO_QUEUE, "true",
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\""
                        + aws.queueArn(deadLetters) + "\"}"));
        String timer = aws.createQueue(LocalAws.uniqueName("timer"), Map.of());
        env = new HashMap<>(Map.of(SqsClients.ENV_SQS_ENDPOINT, URI.create(loopQueue).resolve("/").toString(),
                SqsKeyQueues.ENV_LOOP_QUEUES, "probe=" + loopQueue, SqsKeyQueues.ENV_TIMER_QUEUE, timer));
        queues = new SqsKeyQueues(aws.sqs(), Map.of("probe", loopQueue), timer, Clock.systemUTC());
        host = new LocalLambdaHost(LocalAws.LOCATION, aws.streams(), aws.sqs());
        host.createFunction(FunctionConfiguration.of("probe-loop", ProbeLoopHandler.class.getName())
                .withEnvironment(env));
        host.createEventSourceMapping(SqsMapping.of("probe-loop", loopQueue).withReportBatchItemFailures(true)
                .withReceiveWaitTime(WAIT));
        host.createFunction(FunctionConfiguration.of("timer", TimerHandler.class.getName()).withEnvironment(env));
        host.createEventSourceMapping(SqsMapping.of("timer", timer).withReportBatchItemFailures(true)
                .withReceiveWaitTime(WAIT));
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void aKeyThatKeepsFailingIsDeadLetteredWhileTheOthersAreReconciledAndRepeatsAreDropped() {
        ObjectKey web = key("web");
        queues.send(List.of(new Delivery("probe", web, "r1"), new Delivery("probe", web, "r1"),
                new Delivery("probe", key("poison-1"), "r1"), new Delivery("probe", key("other"), "r2")));
        // The repeat of (web, r1) is dropped by the queue's deduplication: three messages wait.
        assertThat(depth(loopQueue)).isEqualTo(3);

        host.start();

        eventually(Duration.ofSeconds(30), () -> assertThat(depth(deadLetters)).isEqualTo(1));
        assertThat(aws.sqs().receiveMessage(b -> b.queueUrl(deadLetters)).messages().getFirst().body())
                .contains("\"name\":\"poison-1\"");
        assertThat(ProbeLoopHandler.RECONCILED.get("poison-1")).hasSize(2);
        assertThat(ProbeLoopHandler.RECONCILED.get("web")).hasSize(1);
        assertThat(ProbeLoopHandler.RECONCILED.get("other")).hasSize(1);
    }

    @Test
    void moreKeysThanOneRequestTakesAreAllEnqueued() {
        List<Delivery> deliveries = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            deliveries.add(new Delivery("probe", key("many-" + i), "r1"));
        }

        queues.send(deliveries); // three SendMessageBatch requests of at most ten entries

        assertThat(depth(loopQueue)).isEqualTo(25);
    }

    @Test
    void requeueAfterComesBackThroughTheTimerQueueWhenDue() {
        // No redelivery by visibility timeout on a loaded machine: the second look must be the timer's.
        aws.sqs().setQueueAttributes(b -> b.queueUrl(loopQueue)
                .attributes(Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "30")));
        host.start();
        queues.send(List.of(new Delivery("probe", key("later-1"), "r1")));

        eventually(Duration.ofSeconds(20), () -> assertThat(ProbeLoopHandler.RECONCILED.get("later-1")).hasSize(2));
        List<Instant> times = ProbeLoopHandler.RECONCILED.get("later-1");
        assertThat(Duration.between(times.get(0), times.get(1))).isGreaterThanOrEqualTo(Duration.ofMillis(1900));
    }

    @Test
    void theTickMakesEachLoopEnqueueItsResyncKeys() throws Exception {
        host.createFunction(FunctionConfiguration.of("tick", ResyncTickHandler.class.getName())
                .withEnvironment(env));
        host.start();

        host.invoke("tick", new com.amazonaws.services.lambda.runtime.events.ScheduledEvent());

        eventually(Duration.ofSeconds(20), () -> assertThat(ProbeLoopHandler.RECONCILED).containsKey("resynced"));
        assertThat(ControlLoopHandler.RESYNC.name()).isNotIn(ProbeLoopHandler.RECONCILED.keySet());
    }

    private static ObjectKey key(String name) {
        return new ObjectKey("pods", "default", name);
    }

    private int depth(String queue) {
        return Integer.parseInt(aws.sqs().getQueueAttributes(b -> b.queueUrl(queue)
                        .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES));
    }
}
