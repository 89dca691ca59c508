package dev.kumo.local.lambda;

import static dev.kumo.local.lambda.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.sqs.model.Message;

/** A stream mapping against DynamoDB Local in server mode, with ElasticMQ as the on-failure destination. */
@ExtendWith(LocalAwsExtension.class)
class DynamoDbStreamEventSourceTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalAws aws;
    private final Probe probe = Probe.create();
    private final List<DynamodbStreamRecord> succeeded = new CopyOnWriteArrayList<>();
    private LocalLambdaHost host;
    private String table;
    private String streamArn;

    DynamoDbStreamEventSourceTest(LocalAws aws) {
        this.aws = aws;
    }

    @BeforeEach
    void createTableAndHost() {
        table = LocalAws.uniqueName("items");
        streamArn = LocalAws.createTableWithStream(aws.dynamoDb(), table);
        host = new LocalLambdaHost(LocalAws.LOCATION, aws.streams(), aws.sqs());
        host.createFunction(probe.function("watcher"));
    }

    @AfterEach
    void closeHost() {
        host.close();
    }

    @Test
    void deliversEveryRecordInOrderPerItemAsADynamodbEvent() {
        probe.behaviour = (event, context) -> succeed(event);
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn).batchSize(7).build());
        host.start();

        for (int version = 1; version <= 10; version++) {
            for (String pk : List.of("a", "b", "c")) {
                LocalAws.put(aws.dynamoDb(), table, pk, version);
            }
        }

        eventually(() -> assertThat(succeeded).hasSize(30));
        Map<String, List<Integer>> versionsByItem = new LinkedHashMap<>();
        for (DynamodbStreamRecord record : succeeded) {
            versionsByItem.computeIfAbsent(pk(record), k -> new ArrayList<>()).add(version(record));
        }
        List<Integer> oneToTen = IntStream.rangeClosed(1, 10).boxed().toList();
        assertThat(versionsByItem).containsOnlyKeys("a", "b", "c").allSatisfy((pk, versions) ->
                assertThat(versions).isEqualTo(oneToTen));
        assertThat(probe.events(DynamodbEvent.class)).allSatisfy(e -> assertThat(e.getRecords()).hasSizeBetween(1, 7));
        assertThat(sequenceNumbers(succeeded)).doesNotHaveDuplicates().isSortedAccordingTo(
                (x, y) -> new java.math.BigInteger(x).compareTo(new java.math.BigInteger(y)));

        DynamodbStreamRecord insert = succeeded.getFirst();
        assertThat(insert.getEventName()).isEqualTo("INSERT");
        assertThat(insert.getEventSource()).isEqualTo("aws:dynamodb");
        assertThat(insert.getEventSourceARN()).isEqualTo(streamArn);
        assertThat(insert.getAwsRegion()).isEqualTo("us-east-1");
        assertThat(insert.getEventID()).isNotBlank();
        assertThat(insert.getEventVersion()).isEqualTo("1.1");
        assertThat(insert.getDynamodb().getKeys().get("pk").getS()).isEqualTo("a");
        assertThat(insert.getDynamodb().getOldImage()).isNull();
        assertThat(insert.getDynamodb().getStreamViewType()).isEqualTo("NEW_AND_OLD_IMAGES");
        assertThat(insert.getDynamodb().getSizeBytes()).isPositive();
        assertThat(insert.getDynamodb().getApproximateCreationDateTime()).isNotNull();
        DynamodbStreamRecord modify = succeeded.getLast();
        assertThat(modify.getEventName()).isEqualTo("MODIFY");
        assertThat(modify.getDynamodb().getNewImage().get("version").getN()).isEqualTo("10");
        assertThat(modify.getDynamodb().getOldImage().get("version").getN()).isEqualTo("9");
    }

    @Test
    void partialBatchFailureResumesAtTheFailedRecordWithoutRedeliveringEarlierOnes() {
        writeItems("a", "b", "c", "d", "e", "f");
        probe.behaviour = (event, context) -> {
            List<DynamodbStreamRecord> records = ((DynamodbEvent) event).getRecords();
            if (probe.invocations.size() == 1) {
                // Report the fourth record, and pretend the ones after it were processed too.
                return new StreamsEventResponse(List.of(
                        new StreamsEventResponse.BatchItemFailure(records.get(3).getDynamodb().getSequenceNumber())));
            }
            return succeed(event);
        };
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn).build());
        host.start();

        eventually(() -> assertThat(probe.invocations).hasSize(2));
        List<DynamodbEvent> events = probe.events(DynamodbEvent.class);
        assertThat(pks(events.get(0).getRecords())).containsExactly("a", "b", "c", "d", "e", "f");
        assertThat(pks(events.get(1).getRecords())).containsExactly("d", "e", "f");
        assertThat(sequenceNumbers(events.get(1).getRecords()))
                .isEqualTo(sequenceNumbers(events.get(0).getRecords()).subList(3, 6));
        assertNoFurtherInvocations(2);
    }

    @Test
    void aHandlerExceptionRetriesTheWholeBatch() {
        writeItems("a", "b", "c");
        probe.behaviour = (event, context) -> {
            if (probe.invocations.size() == 1) {
                throw new IllegalStateException("transient");
            }
            return succeed(event);
        };
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn).build());
        host.start();

        eventually(() -> assertThat(succeeded).hasSize(3));
        List<DynamodbEvent> events = probe.events(DynamodbEvent.class);
        assertThat(events).hasSize(2);
        assertThat(sequenceNumbers(events.get(1).getRecords())).isEqualTo(sequenceNumbers(events.get(0).getRecords()));
        assertNoFurtherInvocations(2);
    }

    @Test
    void aPoisonRecordEndsInTheOnFailureDestinationAndTheShardContinues() throws Exception {
        String destination = aws.createQueue(LocalAws.uniqueName("stream-failures"), Map.of());
        writeItems("a", "b", "poison", "c", "d");
        probe.behaviour = (event, context) -> {
            if (pks(((DynamodbEvent) event).getRecords()).contains("poison")) {
                throw new IllegalArgumentException("cannot handle poison");
            }
            return succeed(event);
        };
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn)
                .maximumRetryAttempts(2).bisectBatchOnFunctionError(true).onFailureDestination(destination).build());
        host.start();

        Message failure = receiveOne(destination);
        JsonNode record = JSON.readTree(failure.body());
        List<DynamodbStreamRecord> poisonAlone = probe.events(DynamodbEvent.class).stream()
                .map(DynamodbEvent::getRecords).filter(r -> r.size() == 1 && pk(r.getFirst()).equals("poison"))
                .map(List::getFirst).toList();
        assertThat(poisonAlone).as("the poison record alone: first try and two retries").hasSize(3);
        String poisonSequenceNumber = poisonAlone.getFirst().getDynamodb().getSequenceNumber();
        JsonNode batchInfo = record.get("DDBStreamBatchInfo");
        assertThat(batchInfo.get("startSequenceNumber").asText()).isEqualTo(poisonSequenceNumber);
        assertThat(batchInfo.get("endSequenceNumber").asText()).isEqualTo(poisonSequenceNumber);
        assertThat(batchInfo.get("batchSize").asInt()).isEqualTo(1);
        assertThat(batchInfo.get("streamArn").asText()).isEqualTo(streamArn);
        assertThat(batchInfo.get("shardId").asText()).startsWith("shardId-");
        assertThat(batchInfo.get("approximateArrivalOfFirstRecord").asText()).isNotBlank();
        assertThat(record.at("/requestContext/condition").asText()).isEqualTo("RetryAttemptsExhausted");
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(3);
        assertThat(record.at("/requestContext/functionArn").asText())
                .isEqualTo("arn:aws:lambda:us-east-1:000000000000:function:watcher");
        // The shard moves on after the record is sent away, so later batches may already have run: compare with
        // the last invocation that carried the poison record alone.
        String lastPoisonInvocation = probe.invocations.stream()
                .filter(i -> i.event() instanceof DynamodbEvent e && pks(e.getRecords()).equals(List.of("poison")))
                .reduce((first, second) -> second).orElseThrow().context().getAwsRequestId();
        assertThat(record.at("/requestContext/requestId").asText()).isEqualTo(lastPoisonInvocation);
        assertThat(record.at("/responseContext/functionError").asText()).isEqualTo("Unhandled");
        assertThat(record.at("/responseContext/statusCode").asInt()).isEqualTo(200);
        assertThat(record.get("version").asText()).isEqualTo("1.0");

        eventually(() -> assertThat(pks(succeeded)).containsExactly("a", "b", "c", "d"));
        writeItems("e");
        eventually(() -> assertThat(pks(succeeded)).containsExactly("a", "b", "c", "d", "e"));
    }

    @Test
    void reportedFailuresThatExhaustRetriesSkipTheRestOfTheBatch() throws Exception {
        String destination = aws.createQueue(LocalAws.uniqueName("stream-failures"), Map.of());
        writeItems("a", "poison", "b");
        probe.behaviour = (event, context) -> failAtPoison(event);
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn)
                .maximumRetryAttempts(1).onFailureDestination(destination).build());
        host.start();

        JsonNode record = JSON.readTree(receiveOne(destination).body());
        List<DynamodbEvent> events = probe.events(DynamodbEvent.class);
        assertThat(events).hasSize(2);
        assertThat(pks(events.get(1).getRecords())).containsExactly("poison", "b");
        JsonNode batchInfo = record.get("DDBStreamBatchInfo");
        assertThat(batchInfo.get("startSequenceNumber").asText())
                .isEqualTo(events.get(1).getRecords().get(0).getDynamodb().getSequenceNumber());
        assertThat(batchInfo.get("endSequenceNumber").asText())
                .isEqualTo(events.get(1).getRecords().get(1).getDynamodb().getSequenceNumber());
        assertThat(batchInfo.get("batchSize").asInt()).isEqualTo(2);
        assertThat(record.at("/requestContext/approximateInvokeCount").asInt()).isEqualTo(2);
        assertThat(record.at("/responseContext").has("functionError")).isFalse();
        assertThat(pks(succeeded)).containsExactly("a");

        writeItems("c");
        eventually(() -> assertThat(pks(succeeded)).containsExactly("a", "c"));
    }

    /**
     * A retry carries the records that failed, not records that arrived meanwhile: those would otherwise be skipped
     * with the batch when its retries run out, without ever having failed.
     */
    @Test
    void aRetriedBatchDoesNotGrowWithRecordsThatArrivedMeanwhile() throws Exception {
        String destination = aws.createQueue(LocalAws.uniqueName("stream-failures"), Map.of());
        writeItems("a", "poison", "b");
        probe.behaviour = (event, context) -> {
            if (probe.invocations.size() == 1) {
                writeItems("late"); // in the shard before the retry is read
                sleep(Duration.ofSeconds(1));
            }
            return failAtPoison(event);
        };
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn)
                .maximumRetryAttempts(2).onFailureDestination(destination).build());
        host.start();

        JsonNode record = JSON.readTree(receiveOne(destination).body());
        assertThat(record.at("/DDBStreamBatchInfo/batchSize").asInt()).as("the failed batch's rest only").isEqualTo(2);
        List<DynamodbEvent> events = probe.events(DynamodbEvent.class);
        assertThat(pks(events.get(1).getRecords())).containsExactly("poison", "b");
        assertThat(pks(events.get(2).getRecords())).containsExactly("poison", "b");
        eventually(() -> assertThat(pks(succeeded)).containsExactly("a", "late"));
    }

    @Test
    void latestSkipsWhatWasWrittenBeforeTheMappingStarted() {
        writeItems("before-1", "before-2");
        probe.behaviour = (event, context) -> succeed(event);
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn)
                .startingPosition(StartingPosition.LATEST).build());
        host.start();

        writeItems("after-1", "after-2");

        eventually(() -> assertThat(pks(succeeded)).containsExactly("after-1", "after-2"));
    }

    @Test
    void aBatchingWindowGathersRecordsIntoOneInvocation() {
        probe.behaviour = (event, context) -> succeed(event);
        host.createEventSourceMapping(DynamoDbStreamMapping.builder("watcher", streamArn)
                .maximumBatchingWindow(Duration.ofSeconds(1)).build());
        host.start();

        writeItems("a");
        sleep(Duration.ofMillis(400));
        writeItems("b", "c");

        eventually(() -> assertThat(succeeded).hasSize(3));
        assertThat(probe.invocations).hasSize(1);
    }

    private Object succeed(Object event) {
        succeeded.addAll(((DynamodbEvent) event).getRecords());
        return new StreamsEventResponse(List.of());
    }

    /** Processes the records up to the one named "poison" and reports that one failed. */
    private StreamsEventResponse failAtPoison(Object event) {
        for (DynamodbStreamRecord record : ((DynamodbEvent) event).getRecords()) {
            if (pk(record).equals("poison")) {
                return new StreamsEventResponse(List.of(
                        new StreamsEventResponse.BatchItemFailure(record.getDynamodb().getSequenceNumber())));
            }
            succeeded.add(record);
        }
        return new StreamsEventResponse(List.of());
    }

    private void writeItems(String... pks) {
        for (String pk : pks) {
            LocalAws.put(aws.dynamoDb(), table, pk, 1);
        }
    }

    private Message receiveOne(String queueUrl) {
        List<Message> received = new ArrayList<>();
        eventually(() -> {
            received.addAll(aws.sqs().receiveMessage(b -> b.queueUrl(queueUrl).waitTimeSeconds(1)).messages());
            assertThat(received).isNotEmpty();
        });
        assertThat(received).hasSize(1);
        return received.getFirst();
    }

    private void assertNoFurtherInvocations(int expected) {
        sleep(Duration.ofMillis(800));
        assertThat(probe.invocations).hasSize(expected);
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static String pk(DynamodbStreamRecord record) {
        return record.getDynamodb().getKeys().get("pk").getS();
    }

    static int version(DynamodbStreamRecord record) {
        return Integer.parseInt(record.getDynamodb().getNewImage().get("version").getN());
    }

    static List<String> pks(List<DynamodbStreamRecord> records) {
        return records.stream().map(DynamoDbStreamEventSourceTest::pk).toList();
    }

    static List<String> sequenceNumbers(List<DynamodbStreamRecord> records) {
        return records.stream().map(r -> r.getDynamodb().getSequenceNumber()).toList();
    }
}
