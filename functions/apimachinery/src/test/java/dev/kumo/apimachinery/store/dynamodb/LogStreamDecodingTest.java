package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.WatchEvent;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.kumo.apimachinery.store.dynamodb.Objects.configMap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a reader of the log's stream (the control loops' fan-out) gets: each record's new image decodes to the
 * same change a watch delivers, large values included; fillers of failed writes decode to nothing.
 */
class LogStreamDecodingTest {
    private final StoreTables tables = LocalDynamo.freshTables();
    private final DynamoStore store = LocalDynamo.store(tables);

    @Test
    void everyStreamRecordDecodesToTheChangeAWatchDelivers() {
        ObjectKey small = new ObjectKey("configmaps", "ns", "small");
        ObjectKey large = new ObjectKey("configmaps", "ns", "large");
        StoredObject created = store.create(small, configMap("ns", "small", "v1"));
        StoredObject updated = store.update(small, configMap("ns", "small", "v2"), created.revision());
        // Random text does not compress: this value is stored in chunks, the log item only names them.
        byte[] noise = new byte[900 * 1024];
        new SecureRandom().nextBytes(noise);
        StoredObject big = store.create(large, configMap("ns", "large", Base64.getEncoder().encodeToString(noise)));
        assertThatThrownBy(() -> store.create(small, configMap("ns", "small", "again")))
                .isInstanceOf(StoreException.AlreadyExists.class); // its revision is filled in the log
        StoredObject deleted = store.delete(small, updated.revision());

        List<Map<String, AttributeValue>> images = streamImages();
        List<Optional<WatchEvent>> decoded = images.stream().map(store::decodeLogItem).toList();

        List<WatchEvent> watched = store.watch("configmaps", 0, java.time.Duration.ofSeconds(2)).events();
        assertThat(decoded.stream().flatMap(Optional::stream).toList()).isEqualTo(watched);
        assertThat(watched).extracting(WatchEvent::type).containsExactly(WatchEvent.Type.ADDED,
                WatchEvent.Type.MODIFIED, WatchEvent.Type.ADDED, WatchEvent.Type.DELETED);
        assertThat(watched.get(2).object()).isEqualTo(big.value());
        assertThat(watched.get(3).revision()).isEqualTo(deleted.revision());
        assertThat(decoded).as("the filler of the failed create").contains(Optional.empty());
        assertThat(images.stream().map(store::decodeLogItemKey).flatMap(Optional::stream).toList())
                .as("the same changes without their values")
                .isEqualTo(watched.stream().map(e -> new WatchEvent(e.type(), e.revision(), e.key(), null,
                        e.previousRevision())).toList());
    }

    /** The new images of every record of the log table's stream, in order (one shard in DynamoDB Local). */
    private List<Map<String, AttributeValue>> streamImages() {
        DynamoDbStreamsClient streams = LocalDynamo.streams();
        String arn = LocalDynamo.client().describeTable(b -> b.tableName(tables.log())).table().latestStreamArn();
        List<Map<String, AttributeValue>> images = new ArrayList<>();
        for (var shard : streams.describeStream(b -> b.streamArn(arn)).streamDescription().shards()) {
            String iterator = streams.getShardIterator(b -> b.streamArn(arn).shardId(shard.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (iterator != null) {
                String at = iterator;
                var page = streams.getRecords(b -> b.shardIterator(at));
                page.records().forEach(r -> images.add(r.dynamodb().newImage()));
                if (page.records().isEmpty()) {
                    break;
                }
                iterator = page.nextShardIterator();
            }
        }
        return images;
    }
}
