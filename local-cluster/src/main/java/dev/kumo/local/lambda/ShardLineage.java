package dev.kumo.local.lambda;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.services.dynamodb.model.Shard;

/**
 * The shards of one stream and which of them may be read now. As Lambda does, a child shard is read only after its
 * parent has been processed to its end, so that the records of one item stay in order across a shard rollover.
 */
final class ShardLineage {

    private final Map<String, Shard> known = new LinkedHashMap<>();
    private final Set<String> claimed = new HashSet<>();
    private final Set<String> finished = new HashSet<>();

    /**
     * Records the shards of a complete DescribeStream listing (all pages) and returns those not seen before. Finished
     * shards that are no longer listed (trimmed after 24 hours) are forgotten; their children then count as free.
     */
    synchronized List<Shard> discover(List<Shard> described) {
        Set<String> listed = new HashSet<>();
        List<Shard> discovered = new ArrayList<>();
        for (Shard shard : described) {
            listed.add(shard.shardId());
            if (known.putIfAbsent(shard.shardId(), shard) == null) {
                discovered.add(shard);
            }
        }
        known.keySet().removeIf(id -> !listed.contains(id) && finished.contains(id));
        return discovered;
    }

    /**
     * Shards ready to be read: not yet claimed, not finished, and whose parent is finished or no longer listed.
     * They are claimed by this call, so each shard is handed out once.
     */
    synchronized List<Shard> claimReadyShards() {
        List<Shard> ready = new ArrayList<>();
        for (Shard shard : known.values()) {
            String id = shard.shardId();
            if (!claimed.contains(id) && !finished.contains(id) && parentDone(shard)) {
                claimed.add(id);
                ready.add(shard);
            }
        }
        return ready;
    }

    /** Gives a claimed shard back, e.g. when its iterator could not be obtained; a later claim retries it. */
    synchronized void release(String shardId) {
        claimed.remove(shardId);
    }

    /** The shard has been processed to its end (or is to be skipped): its children may now be read. */
    synchronized void markFinished(String shardId) {
        finished.add(shardId);
    }

    synchronized boolean isFinished(String shardId) {
        return finished.contains(shardId);
    }

    private boolean parentDone(Shard shard) {
        String parent = shard.parentShardId();
        return parent == null || finished.contains(parent) || !known.containsKey(parent);
    }

    static boolean isClosed(Shard shard) {
        return shard.sequenceNumberRange() != null && shard.sequenceNumberRange().endingSequenceNumber() != null;
    }
}
