package dev.kumo.apimachinery.store.dynamodb;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.WriteRequest;

import java.util.List;
import java.util.Map;

/**
 * Trims a resource's log as kine does: raising the compacted revision first (older revisions then answer 410),
 * then, for every event up to it, deleting the version the event superseded, and deleting tombstones and fillers
 * themselves. The latest version of each key stays, so a list at any revision not older than the compacted one
 * can still be served.
 */
final class Compactor {
    private static final Logger LOG = LoggerFactory.getLogger(Compactor.class);
    private static final int PAGE_SIZE = 500;

    private final RevisionCounter counter;
    private final EventLog log;
    private final ValueItems values;
    private final DynamoDbClient dynamo;
    private final String objectsTable;
    private final Lister.Visibility visibility;

    Compactor(RevisionCounter counter, EventLog log, ValueItems values, DynamoDbClient dynamo, String objectsTable,
              Lister.Visibility visibility) {
        this.counter = counter;
        this.log = log;
        this.values = values;
        this.dynamo = dynamo;
        this.objectsTable = objectsTable;
        this.visibility = visibility;
    }

    void compact(String resource, long target) {
        RevisionCounter.State state = counter.read(resource);
        long revision = Math.min(target, state.revision());
        if (revision <= state.compacted()) {
            return;
        }
        // A write landing below the compacted revision would be invisible to every watcher: close all gaps first.
        visibility.ensureVisible(resource, revision, state.visible());
        if (!counter.raiseCompacted(resource, revision)) {
            return;
        }
        long deleted = 0;
        long after = state.compacted();
        while (after < revision) {
            List<LogEntry> entries = log.readAfter(resource, after, revision, PAGE_SIZE);
            if (entries.isEmpty()) {
                break;
            }
            for (LogEntry entry : entries) {
                if (entry.previous() > 0) {
                    deleted += deleteWithChunks(resource, entry.previous());
                }
                if (entry.isFiller() || "DELETED".equals(entry.operation())) {
                    deleted += deleteWithChunks(resource, entry.revision());
                }
            }
            after = entries.get(entries.size() - 1).revision();
        }
        LOG.atInfo().addKeyValue("resource", resource).addKeyValue("compactedRevision", revision)
                .addKeyValue("deletedEvents", deleted).log("compacted");
    }

    /** Compacts up to the newest revision written before {@code cutoffMillis}; returns the compacted revision. */
    long compactOlderThan(String resource, long cutoffMillis) {
        RevisionCounter.State state = counter.read(resource);
        long target = state.compacted();
        long after = state.compacted();
        scan:
        while (after < state.revision()) {
            List<LogEntry> entries = log.readAfter(resource, after, state.revision(), PAGE_SIZE);
            if (entries.isEmpty()) {
                break;
            }
            for (LogEntry entry : entries) {
                if (entry.writtenAtMillis() >= cutoffMillis) {
                    break scan;
                }
                target = entry.revision();
            }
            after = entries.get(entries.size() - 1).revision();
        }
        if (target > state.compacted()) {
            compact(resource, target);
        }
        return Math.max(target, state.compacted());
    }

    private int deleteWithChunks(String resource, long revision) {
        return log.delete(resource, revision).map(old -> {
            List<WriteRequest> chunkDeletes = values.chunkDeletes(resource, revision, old);
            for (int from = 0; from < chunkDeletes.size(); from += 25) {
                List<WriteRequest> batch = chunkDeletes.subList(from, Math.min(chunkDeletes.size(), from + 25));
                Map<String, List<WriteRequest>> unprocessed = Map.of(objectsTable, batch);
                while (!unprocessed.isEmpty()) {
                    Map<String, List<WriteRequest>> request = unprocessed;
                    unprocessed = dynamo.batchWriteItem(b -> b.requestItems(request)).unprocessedItems();
                }
            }
            return 1;
        }).orElse(0);
    }
}
