package dev.kumo.local.lambda;

import static dev.kumo.local.lambda.DynamoDbStreamEventSourceTest.pks;
import static dev.kumo.local.lambda.Eventually.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/**
 * A stream mapping across shard rollovers, on a stream DynamoDB Local (embedded) rolled over, listed one shard per
 * DescribeStream page so that paging is exercised too.
 */
class ShardRolloverTest {

    private static final StreamPolling FAST = new StreamPolling(Duration.ofMillis(50), Duration.ofMillis(200), 1,
            new RetryBackoff(Duration.ofMillis(20), Duration.ofMillis(200)));

    private final RolledStream stream = new RolledStream();
    private final LocalLambdaHost host = new LocalLambdaHost(LocalAws.LOCATION, stream.streams, null);
    private final Probe probe = Probe.create();
    private final List<DynamodbStreamRecord> delivered = new CopyOnWriteArrayList<>();
    private DynamoDbStreamEventSource source;

    @AfterEach
    void close() {
        if (source != null) {
            source.close();
        }
        host.close();
        stream.close();
    }

    @Test
    void describeShardsFollowsExclusiveStartShardIdAcrossPages() {
        stream.write("a");
        stream.rollOver();
        stream.write("b");
        stream.rollOver();
        source = mapping(StartingPosition.TRIM_HORIZON);

        assertThat(source.describeShards()).extracting(Shard::shardId)
                .hasSize(3).isEqualTo(stream.shards().stream().map(Shard::shardId).toList());
    }

    @Test
    void childShardsAreReadOnlyAfterTheirParentIsProcessedToItsEnd() {
        stream.write("a1", "a2", "a3");
        stream.rollOver();
        stream.write("b1", "b2", "b3");
        stream.rollOver();
        stream.write("c1", "c2", "c3");
        // Slow batches of two: were the three shards read at once, their records would interleave.
        probe.behaviour = (event, context) -> {
            Thread.sleep(30);
            delivered.addAll(((DynamodbEvent) event).getRecords());
            return null;
        };
        source = mapping(StartingPosition.TRIM_HORIZON);
        source.start();

        eventually(() -> assertThat(pks(delivered)).containsExactly(
                "a1", "a2", "a3", "b1", "b2", "b3", "c1", "c2", "c3"));

        stream.rollOver();
        stream.write("d1", "d2");

        eventually(() -> assertThat(pks(delivered)).endsWith("c3", "d1", "d2").hasSize(11));
    }

    @Test
    void latestSkipsClosedShardsAndReadsTheOpenOneFromNow() {
        stream.write("old-1");
        stream.rollOver();
        stream.write("old-2");
        probe.behaviour = (event, context) -> {
            delivered.addAll(((DynamodbEvent) event).getRecords());
            return null;
        };
        source = mapping(StartingPosition.LATEST);
        source.start();

        stream.write("new-1");
        stream.rollOver();
        stream.write("new-2");

        eventually(() -> assertThat(pks(delivered)).containsExactly("new-1", "new-2"));
    }

    private DynamoDbStreamEventSource mapping(StartingPosition startingPosition) {
        LocalFunction function = host.createFunction(probe.function("rollover"));
        DynamoDbStreamMapping mapping = DynamoDbStreamMapping.builder("rollover", stream.streamArn)
                .startingPosition(startingPosition).batchSize(2).build();
        return new DynamoDbStreamEventSource(mapping, function, stream.streams, null, LocalAws.LOCATION, FAST,
                Clock.systemUTC());
    }
}
