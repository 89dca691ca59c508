package dev.kumo.controllers.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.apimachinery.store.dynamodb.DynamoStore;
import dev.kumo.apimachinery.store.dynamodb.StoreTables;
import dev.kumo.apimachinery.store.encryption.ResourceTransformers;
import dev.kumo.apimachinery.store.encryption.StorageEncryption;
import dev.kumo.controllers.runtime.Delivery;
import dev.kumo.controllers.runtime.FanOut;
import dev.kumo.controllers.runtime.KeyQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The one reader of the event log's stream: each record (a committed change) becomes the keys of the loops that
 * care, sent to their queues. The loops' key mappers run here, so this function builds every loop of
 * {@link LoopCatalog} (without an API client: a mapper only looks at the change). Values encrypted at rest are not
 * read (this function holds no key); their changes carry the key only. If enqueueing fails, the batch is reported
 * failed from the first record whose keys were not all sent, and Lambda retries from there; the queues drop the
 * keys sent twice (deduplication by key and revision).
 */
public final class FanOutHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(FanOutHandler.class);

    private final DynamoStore store;
    private final Set<String> encrypted;
    private final FanOut fanOut;
    private final KeyQueues queues;

    public FanOutHandler() {
        this(System.getenv());
    }

    public FanOutHandler(Map<String, String> env) {
        this(env, new FanOut(LoopCatalog.keyMappers()));
    }

    /**
     * With the given key mappers: the local cluster's tests run a probe mapper through the real handler this way
     * (wrapped in a handler class the local Lambda host can build from its name).
     */
    public FanOutHandler(Map<String, String> env, FanOut fanOut) {
        this(new DynamoStore(AwsClients.dynamo(env), StoreTables.fromEnvironment(env), new ObjectMapper(),
                        DynamoStore.Options.defaults(), ResourceTransformers.NONE),
                StorageEncryption.encryptedResources(env), fanOut, SqsKeyQueues.fromEnvironment(env));
    }

    FanOutHandler(DynamoStore store, Set<String> encrypted, FanOut fanOut, KeyQueues queues) {
        this.store = store;
        this.encrypted = encrypted;
        this.fanOut = fanOut;
        this.queues = queues;
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        List<DynamodbEvent.DynamodbStreamRecord> records = event.getRecords();
        List<Delivery> pending = new ArrayList<>();
        int firstPending = 0;
        for (int i = 0; i < records.size(); i++) {
            DynamodbEvent.DynamodbStreamRecord record = records.get(i);
            try {
                decode(record).ifPresent(change -> pending.addAll(fanOut.deliveries(change)));
                if (pending.size() >= 100 || i == records.size() - 1) {
                    queues.send(collapse(pending));
                    pending.clear();
                    firstPending = i + 1;
                }
            } catch (RuntimeException e) {
                DynamodbEvent.DynamodbStreamRecord failed = records.get(firstPending);
                LOG.atError().setCause(e).addKeyValue("sequenceNumber", failed.getDynamodb().getSequenceNumber())
                        .log("fan-out failed; the stream retries from this record");
                return new StreamsEventResponse(List.of(new StreamsEventResponse.BatchItemFailure(
                        failed.getDynamodb().getSequenceNumber())));
            }
        }
        return new StreamsEventResponse(List.of());
    }

    /**
     * One delivery per loop and key within what is sent together (the last change's): a burst of changes to one
     * object, or of deletions in one namespace, needs one look, not one per change.
     */
    static List<Delivery> collapse(List<Delivery> deliveries) {
        Map<String, Delivery> latest = new java.util.LinkedHashMap<>();
        for (Delivery delivery : deliveries) {
            latest.put(delivery.loop() + "\u0000" + delivery.key(), delivery);
        }
        return List.copyOf(latest.values());
    }

    private Optional<WatchEvent> decode(DynamodbEvent.DynamodbStreamRecord record) {
        if (record.getDynamodb() == null || record.getDynamodb().getNewImage() == null) {
            return Optional.empty(); // the log's items are only ever inserted; a removal (TTL) changes nothing
        }
        Map<String, AttributeValue> image = StreamImages.toSdk(record.getDynamodb().getNewImage());
        boolean keyOnly = encrypted.contains(DynamoStore.logItemResource(image));
        return keyOnly ? store.decodeLogItemKey(image) : store.decodeLogItem(image);
    }
}
