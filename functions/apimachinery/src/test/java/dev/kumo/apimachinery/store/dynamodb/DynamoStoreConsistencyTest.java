package dev.kumo.apimachinery.store.dynamodb;

import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.WatchBatch;
import dev.kumo.apimachinery.store.WatchEvent;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.kumo.apimachinery.store.dynamodb.Objects.configMap;
import static dev.kumo.apimachinery.store.dynamodb.Objects.key;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many writers on one resource, several list+watch clients (each with its own store instance, as separate Lambda
 * processes would be), crashed writers leaving gaps, and a compaction in the middle. Every client's view must
 * converge to the final state, and per object it must see revisions strictly increasing with no duplicate.
 */
class DynamoStoreConsistencyTest {
    private static final int WRITERS = 8;
    private static final int WRITES_PER_WRITER = 60;
    private static final int WATCHERS = 3;
    private static final int KEYS = 12;

    private final StoreTables tables = LocalDynamo.freshTables();

    @Test
    void everyWatcherConvergesWithoutMissedDuplicatedOrReorderedEvents() throws Exception {
        runWriters(false);
    }

    /** All writers in one process, as in the local cluster: one store instance used by many threads. */
    @Test
    void writersSharingOneStoreTakeRevisionBlocksAndWatchersStillConverge() throws Exception {
        runWriters(true);
    }

    private void runWriters(boolean sharedStore) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool();
        AtomicBoolean writing = new AtomicBoolean(true);
        List<Future<Map<String, Long>>> watchers = new ArrayList<>();
        for (int w = 0; w < WATCHERS; w++) {
            watchers.add(pool.submit(() -> watchUntilQuiet(LocalDynamo.store(tables), writing)));
        }
        List<Future<?>> writers = new ArrayList<>();
        DynamoStore shared = LocalDynamo.store(tables);
        for (int w = 0; w < WRITERS; w++) {
            DynamoStore store = sharedStore ? shared : LocalDynamo.store(tables);
            writers.add(pool.submit(() -> write(store)));
        }
        // Crashed writers: revisions taken and never written, which watchers must fill.
        RevisionCounter counter = new RevisionCounter(LocalDynamo.client(), tables.objects());
        for (int i = 0; i < 3; i++) {
            Thread.sleep(100);
            counter.allocate("configmaps");
        }
        DynamoStore compacting = LocalDynamo.store(tables);
        Thread.sleep(200);
        compacting.compact("configmaps", compacting.currentRevision("configmaps") / 2);
        for (Future<?> writer : writers) {
            writer.get();
        }
        writing.set(false);

        Map<String, Long> truth = new HashMap<>();
        LocalDynamo.store(tables).list("configmaps", ListOptions.all("")).items()
                .forEach(item -> truth.put(item.key().storageKey(), item.revision()));
        for (Future<Map<String, Long>> watcher : watchers) {
            assertThat(watcher.get()).isEqualTo(truth);
        }
        pool.shutdownNow();
    }

    private static void write(DynamoStore store) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < WRITES_PER_WRITER; i++) {
            String name = "cm" + random.nextInt(KEYS);
            Optional<StoredObject> current = store.get(key("ns", name));
            try {
                if (current.isEmpty()) {
                    store.create(key("ns", name), configMap("ns", name, "v" + i));
                } else if (random.nextInt(5) == 0) {
                    store.delete(key("ns", name), current.get().revision());
                } else {
                    store.update(key("ns", name), configMap("ns", name, "v" + i), current.get().revision());
                }
            } catch (StoreException.Conflict | StoreException.AlreadyExists | StoreException.NotFound raced) {
                // Another writer got there first: exactly what optimistic concurrency is for.
            }
        }
    }

    /** An informer in miniature: list, then watch; relist on 410. Checks per-object ordering as it goes. */
    private static Map<String, Long> watchUntilQuiet(DynamoStore store, AtomicBoolean writing) {
        Map<String, Long> view = new ConcurrentHashMap<>();
        Map<String, Long> lastSeen = new HashMap<>();
        long cursor = relist(store, view, lastSeen);
        int quietPolls = 0;
        while (writing.get() || quietPolls < 3) {
            WatchBatch batch;
            try {
                batch = store.watch("configmaps", cursor, Duration.ofMillis(300));
            } catch (StoreException.Expired gone) {
                cursor = relist(store, view, lastSeen);
                continue;
            }
            for (WatchEvent event : batch.events()) {
                String key = event.key().storageKey();
                Long previous = lastSeen.put(key, event.revision());
                assertThat(previous == null || previous < event.revision())
                        .as("event for %s at %d after %s", key, event.revision(), previous).isTrue();
                if (event.type() == WatchEvent.Type.DELETED) {
                    view.remove(key);
                } else {
                    view.put(key, event.revision());
                }
            }
            quietPolls = batch.events().isEmpty() && !writing.get() ? quietPolls + 1 : 0;
            cursor = batch.throughRevision();
        }
        return view;
    }

    private static long relist(DynamoStore store, Map<String, Long> view, Map<String, Long> lastSeen) {
        while (true) {
            try {
                return listAllPages(store, view, lastSeen);
            } catch (StoreException.Expired compactedBetweenPages) {
                // As client-go's pager does: start the list over.
            }
        }
    }

    private static long listAllPages(DynamoStore store, Map<String, Long> view, Map<String, Long> lastSeen) {
        view.clear();
        lastSeen.clear();
        String token = null;
        long revision;
        do {
            ListPage page = store.list("configmaps", new ListOptions("", 5, token, 0, null));
            page.items().forEach(item -> {
                view.put(item.key().storageKey(), item.revision());
                lastSeen.put(item.key().storageKey(), item.revision());
            });
            token = page.continueToken();
            revision = page.revision();
        } while (token != null);
        return revision;
    }
}
