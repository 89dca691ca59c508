package dev.kumo.local.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/** Lineage decisions on the shards DescribeStream reports for a stream DynamoDB Local really rolled over. */
class ShardLineageTest {

    private final RolledStream stream = new RolledStream();

    @AfterEach
    void close() {
        stream.close();
    }

    @Test
    void aChildIsReadyOnlyOnceItsParentIsFinished() {
        List<Shard> shards = rolledTwice();
        ShardLineage lineage = new ShardLineage();

        assertThat(lineage.discover(shards)).isEqualTo(shards);
        assertThat(ids(lineage.claimReadyShards())).containsExactly(shards.get(0).shardId());
        assertThat(lineage.claimReadyShards()).as("a shard is handed out once").isEmpty();

        lineage.markFinished(shards.get(0).shardId());
        assertThat(ids(lineage.claimReadyShards())).containsExactly(shards.get(1).shardId());

        lineage.markFinished(shards.get(1).shardId());
        assertThat(ids(lineage.claimReadyShards())).containsExactly(shards.get(2).shardId());
        assertThat(lineage.discover(shards)).as("known shards are not rediscovered").isEmpty();
    }

    @Test
    void aChildWhoseParentIsNoLongerListedIsReady() {
        List<Shard> shards = rolledTwice();
        ShardLineage lineage = new ShardLineage();

        lineage.discover(shards.subList(1, 3));

        assertThat(ids(lineage.claimReadyShards())).containsExactly(shards.get(1).shardId());
    }

    @Test
    void aReleasedShardCanBeClaimedAgain() {
        List<Shard> shards = rolledTwice();
        ShardLineage lineage = new ShardLineage();
        lineage.discover(shards);
        String root = lineage.claimReadyShards().getFirst().shardId();

        lineage.release(root);

        assertThat(ids(lineage.claimReadyShards())).containsExactly(root);
    }

    @Test
    void onlyTheNewestShardIsOpen() {
        List<Shard> shards = rolledTwice();

        assertThat(shards).extracting(ShardLineage::isClosed).containsExactly(true, true, false);
    }

    /** Three shards, root first, each the parent of the next, as DynamoDB Local lists them. */
    private List<Shard> rolledTwice() {
        stream.write("a");
        stream.rollOver();
        stream.write("b");
        stream.rollOver();
        stream.write("c");
        List<Shard> shards = stream.shards();
        assertThat(shards).hasSize(3);
        assertThat(shards.get(0).parentShardId()).isNull();
        assertThat(shards.get(1).parentShardId()).isEqualTo(shards.get(0).shardId());
        assertThat(shards.get(2).parentShardId()).isEqualTo(shards.get(1).shardId());
        return shards;
    }

    private static List<String> ids(List<Shard> shards) {
        return shards.stream().map(Shard::shardId).toList();
    }
}
