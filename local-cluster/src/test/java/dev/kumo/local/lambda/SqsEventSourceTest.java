package dev.kumo.local.lambda;

import static dev.kumo.local.lambda.DynamoDbStreamEventSourceTest.sleep;
import static dev.kumo.local.lambda.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.amazonaws.services.lambda.runtime.events.SQSEvent.SQSMessage;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An SQS mapping against ElasticMQ, whose RedrivePolicy does the dead-lettering as SQS does. */
@ExtendWith(LocalAwsExtension.class)
class SqsEventSourceTest {

    /** Long polls short enough that a test never waits on one; close() does not depend on it (see below). */
    private static final Duration WAIT = Duration.ofSeconds(1);

    private final LocalAws aws;
    private final Probe probe = Probe.create();
    private final List<SQSMessage> received = new CopyOnWriteArrayList<>();
    private LocalLambdaHost host;
    private String queueUrl;

    SqsEventSourceTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createHost() {
        host = new LocalLambdaHost(LocalAws.LOCATION, aws.streams(), aws.sqs());
        host.createFunction(probe.function("worker"));
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void deliversMessagesAsAnSqsEventAndDeletesThemOnSuccess() throws Exception {
        queueUrl = aws.createQueue(LocalAws.uniqueName("work"), Map.of());
        probe.behaviour = (event, context) -> record(event, List.of());
        host.createEventSourceMapping(mapping());
        host.start();

        String messageId = aws.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody("hello").messageAttributes(Map.of(
                "kind", MessageAttributeValue.builder().dataType("String").stringValue("greeting").build(),
                "blob", MessageAttributeValue.builder().dataType("Binary")
                        .binaryValue(SdkBytes.fromUtf8String("bytes")).build()))).messageId();

        eventually(() -> assertThat(received).hasSize(1));
        SQSMessage message = received.getFirst();
        assertThat(message.getMessageId()).isEqualTo(messageId);
        assertThat(message.getBody()).isEqualTo("hello");
        assertThat(message.getMd5OfBody()).isEqualTo(md5("hello"));
        assertThat(message.getReceiptHandle()).isNotBlank();
        assertThat(message.getEventSource()).isEqualTo("aws:sqs");
        assertThat(message.getEventSourceArn()).isEqualTo(aws.queueArn(queueUrl));
        assertThat(message.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(message.getAttributes()).containsEntry("ApproximateReceiveCount", "1")
                .containsKeys("SentTimestamp", "ApproximateFirstReceiveTimestamp", "SenderId");
        assertThat(message.getMessageAttributes().get("kind").getStringValue()).isEqualTo("greeting");
        assertThat(message.getMessageAttributes().get("kind").getDataType()).isEqualTo("String");
        assertThat(StandardCharsets.UTF_8.decode(message.getMessageAttributes().get("blob").getBinaryValue())
                .toString()).isEqualTo("bytes");
        assertThat(message.getMd5OfMessageAttributes()).isNotBlank();
        eventually(() -> assertThat(messagesInQueue(queueUrl)).isZero());
    }

    @Test
    void aPartialBatchFailureRedeliversOnlyTheFailedMessage() {
        queueUrl = aws.createQueue(LocalAws.uniqueName("work"), Map.of(QueueAttributeName.VISIBILITY_TIMEOUT, "1"));
        probe.behaviour = (event, context) -> {
            SQSEvent sqsEvent = (SQSEvent) event;
            List<String> failed = sqsEvent.getRecords().stream()
                    .filter(m -> m.getBody().equals("b") && m.getAttributes().get("ApproximateReceiveCount").equals("1"))
                    .map(SQSMessage::getMessageId).toList();
            return record(event, failed);
        };
        sendAll("a", "b", "c");
        host.createEventSourceMapping(mapping());
        host.start();

        eventually(() -> assertThat(bodies()).filteredOn("b"::equals).hasSize(2));
        // Another visibility timeout and more: a message that was not deleted would be back by now.
        sleep(Duration.ofMillis(1500));
        assertThat(bodies()).containsExactlyInAnyOrder("a", "b", "c", "b");
        assertThat(received.stream().filter(m -> m.getBody().equals("b")).map(m -> m.getAttributes()
                .get("ApproximateReceiveCount"))).containsExactly("1", "2");
        eventually(() -> assertThat(messagesInQueue(queueUrl)).isZero());
    }

    @Test
    void aMessageFailingMaxReceiveCountTimesLandsInTheDeadLetterQueue() {
        String deadLetters = aws.createQueue(LocalAws.uniqueName("dead-letters"), Map.of());
        queueUrl = aws.createQueue(LocalAws.uniqueName("work"), Map.of(
                QueueAttributeName.VISIBILITY_TIMEOUT, "1",
                QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\""
                        + aws.queueArn(deadLetters) + "\"}"));
        probe.behaviour = (event, context) -> {
            SQSEvent sqsEvent = (SQSEvent) event;
            record(event, List.of());
            if (sqsEvent.getRecords().getFirst().getBody().equals("poison")) {
                throw new IllegalArgumentException("cannot handle poison");
            }
            return null;
        };
        sendAll("poison", "fine");
        host.createEventSourceMapping(mapping().withBatchSize(1));
        host.start();

        List<Message> deadLettered = new CopyOnWriteArrayList<>();
        eventually(() -> {
            deadLettered.addAll(aws.sqs().receiveMessage(b -> b.queueUrl(deadLetters).waitTimeSeconds(1)).messages());
            assertThat(deadLettered).extracting(Message::body).containsExactly("poison");
        });
        assertThat(bodies()).filteredOn("poison"::equals).hasSize(2);
        assertThat(bodies()).filteredOn("fine"::equals).hasSize(1);
        eventually(() -> assertThat(messagesInQueue(queueUrl)).isZero());
    }

    @Test
    void maximumConcurrencyBoundsConcurrentInvocations() {
        queueUrl = aws.createQueue(LocalAws.uniqueName("work"), Map.of());
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger mostInFlight = new AtomicInteger();
        probe.behaviour = (event, context) -> {
            mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            Thread.sleep(300);
            inFlight.decrementAndGet();
            return record(event, List.of());
        };
        sendAll("1", "2", "3", "4", "5", "6");
        host.createEventSourceMapping(mapping().withBatchSize(1).withMaximumConcurrency(2));
        host.start();

        eventually(() -> assertThat(received).hasSize(6));
        assertThat(mostInFlight).hasValue(2);
    }

    @Test
    void closeStopsPollersBlockedInALongPollAtOnce() {
        queueUrl = aws.createQueue(LocalAws.uniqueName("idle"), Map.of());
        host.createEventSourceMapping(SqsMapping.of("worker", queueUrl).withReceiveWaitTime(Duration.ofSeconds(20)));
        host.start();
        sleep(Duration.ofMillis(500));

        long started = System.nanoTime();
        host.close();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    }

    private SqsMapping mapping() {
        return SqsMapping.of("worker", queueUrl).withReceiveWaitTime(WAIT);
    }

    private SQSBatchResponse record(Object event, List<String> failedMessageIds) {
        received.addAll(((SQSEvent) event).getRecords());
        return new SQSBatchResponse(failedMessageIds.stream().map(SQSBatchResponse.BatchItemFailure::new).toList());
    }

    private void sendAll(String... bodies) {
        for (String body : bodies) {
            aws.sqs().sendMessage(b -> b.queueUrl(queueUrl).messageBody(body));
        }
    }

    private List<String> bodies() {
        return received.stream().map(SQSMessage::getBody).toList();
    }

    private int messagesInQueue(String url) {
        Map<QueueAttributeName, String> attributes = aws.sqs().getQueueAttributes(b -> b.queueUrl(url).attributeNames(
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES,
                QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE)).attributes();
        return Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))
                + Integer.parseInt(attributes.get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES_NOT_VISIBLE));
    }

    private static String md5(String body) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8)));
    }
}
