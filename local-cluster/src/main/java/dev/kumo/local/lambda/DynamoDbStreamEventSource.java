package dev.kumo.local.lambda;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.DescribeStreamResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * An event source mapping from a DynamoDB stream to a function. It lists the stream's shards with DescribeStream
 * (following ExclusiveStartShardId pages), keeps looking for new ones as DynamoDB rolls shards over, and runs one
 * {@link ShardConsumer} per shard that may be read, a child only once its parent is processed to its end.
 */
public final class DynamoDbStreamEventSource implements LocalEventSource {

    private static final Logger log = LoggerFactory.getLogger(DynamoDbStreamEventSource.class);

    private final DynamoDbStreamMapping mapping;
    private final LocalFunction function;
    private final DynamoDbStreamsClient streams;
    private final StreamPolling polling;
    private final Clock clock;
    private final StreamBatchInvoker invoker;
    private final Optional<OnFailureDestination> destination;
    private final ShardLineage lineage = new ShardLineage();
    /** Where each newly found shard starts; absent means TRIM_HORIZON, as for every shard created after start. */
    private final Map<String, ShardIteratorType> startingPositions = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final ScheduledExecutorService discovery;
    private final ExecutorService consumers;

    /**
     * @param sqs the client for the on-failure destination; may be null when the mapping has none
     */
    public DynamoDbStreamEventSource(DynamoDbStreamMapping mapping, LocalFunction function,
                                     DynamoDbStreamsClient streams, SqsClient sqs, AwsLocation location) {
        this(mapping, function, streams, sqs, location, StreamPolling.DEFAULT, Clock.systemUTC());
    }

    DynamoDbStreamEventSource(DynamoDbStreamMapping mapping, LocalFunction function, DynamoDbStreamsClient streams,
                              SqsClient sqs, AwsLocation location, StreamPolling polling, Clock clock) {
        function.requireName(mapping.functionName(), "Mapping of " + mapping.eventSourceArn());
        this.mapping = mapping;
        this.function = function;
        this.streams = streams;
        this.polling = polling;
        this.clock = clock;
        this.invoker = new StreamBatchInvoker(function,
                new DynamodbEventConverter(mapping.eventSourceArn(), location.region()),
                mapping.reportBatchItemFailures());
        this.destination = mapping.onFailureDestination().map(url -> {
            if (sqs == null) {
                throw new IllegalArgumentException("An on-failure destination needs an SqsClient");
            }
            return new OnFailureDestination(sqs, url, polling.retryBackoff());
        });
        String name = "esm-ddb-" + function.functionName();
        this.discovery = Executors.newSingleThreadScheduledExecutor(Threads.named(name + "-discovery"));
        this.consumers = Executors.newCachedThreadPool(Threads.named(name + "-shard"));
    }

    public DynamoDbStreamMapping mapping() {
        return mapping;
    }

    /**
     * Lists the shards and opens their iterators before returning, so that LATEST means "from now"; a stream that
     * does not exist fails here.
     */
    @Override
    public void start() {
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("Already started: " + mapping.eventSourceArn());
        }
        try {
            discover(true);
        } catch (RuntimeException e) {
            running.set(false);
            throw e;
        }
        long interval = polling.discoveryInterval().toMillis();
        discovery.scheduleWithFixedDelay(this::discoverQuietly, interval, interval, TimeUnit.MILLISECONDS);
        log.atInfo().addKeyValue("function", function.functionName())
                .addKeyValue("eventSourceArn", mapping.eventSourceArn())
                .addKeyValue("startingPosition", mapping.startingPosition())
                .log("Event source mapping started");
    }

    private void discoverQuietly() {
        try {
            discover(false);
        } catch (ResourceNotFoundException e) {
            // The table or its stream was deleted; a new stream would have a new ARN, so this mapping is done.
            log.atWarn().addKeyValue("function", function.functionName())
                    .addKeyValue("eventSourceArn", mapping.eventSourceArn())
                    .log("Stream no longer exists; no longer looking for shards: {}", e.getMessage());
            discovery.shutdown();
        } catch (SdkException e) {
            if (!running.get()) {
                return; // Interrupted by close().
            }
            log.atWarn().addKeyValue("function", function.functionName())
                    .addKeyValue("eventSourceArn", mapping.eventSourceArn())
                    .log("DescribeStream failed; trying again in {}: {}", polling.discoveryInterval(), e.getMessage());
        } catch (RuntimeException e) {
            // An exception escaping a scheduled task would silently cancel every later discovery round.
            log.atError().addKeyValue("function", function.functionName())
                    .addKeyValue("eventSourceArn", mapping.eventSourceArn())
                    .setCause(e).log("Shard discovery failed");
        }
    }

    private void discover(boolean atStart) {
        List<Shard> discovered = lineage.discover(describeShards());
        for (Shard shard : discovered) {
            log.atDebug().addKeyValue("function", function.functionName()).addKeyValue("shardId", shard.shardId())
                    .addKeyValue("parentShardId", shard.parentShardId()).log("Shard found");
            if (atStart && mapping.startingPosition() == StartingPosition.LATEST) {
                // LATEST: what closed shards hold is already history; open shards are read from now on.
                if (ShardLineage.isClosed(shard)) {
                    lineage.markFinished(shard.shardId());
                } else {
                    startingPositions.put(shard.shardId(), ShardIteratorType.LATEST);
                }
            }
        }
        startReadyShards();
    }

    /** Every shard of the stream, all DescribeStream pages. */
    List<Shard> describeShards() {
        List<Shard> shards = new ArrayList<>();
        String exclusiveStartShardId = null;
        do {
            String start = exclusiveStartShardId;
            DescribeStreamResponse page = streams.describeStream(b -> b.streamArn(mapping.eventSourceArn())
                    .limit(polling.describeStreamLimit()).exclusiveStartShardId(start));
            shards.addAll(page.streamDescription().shards());
            exclusiveStartShardId = page.streamDescription().lastEvaluatedShardId();
        } while (exclusiveStartShardId != null);
        return shards;
    }

    private synchronized void startReadyShards() {
        if (!running.get()) {
            return;
        }
        for (Shard shard : lineage.claimReadyShards()) {
            ShardIteratorType position = startingPositions.getOrDefault(shard.shardId(),
                    ShardIteratorType.TRIM_HORIZON);
            ShardReader reader = new ShardReader(streams, mapping.eventSourceArn(), shard.shardId(), position,
                    function.functionName());
            try {
                reader.open();
                consumers.execute(new ShardConsumer(reader, invoker, mapping, function, destination, polling, clock,
                        running, this::shardEnded));
                log.atInfo().addKeyValue("function", function.functionName()).addKeyValue("shardId", shard.shardId())
                        .addKeyValue("shardIteratorType", position).log("Reading shard");
            } catch (SdkException e) {
                lineage.release(shard.shardId());
                log.atWarn().addKeyValue("function", function.functionName()).addKeyValue("shardId", shard.shardId())
                        .log("GetShardIterator failed; trying again at the next discovery: {}", e.getMessage());
            } catch (RejectedExecutionException e) {
                // Closing: the shard stays unread.
                lineage.release(shard.shardId());
                return;
            }
        }
    }

    private void shardEnded(String shardId) {
        lineage.markFinished(shardId);
        startReadyShards();
    }

    /** Stops discovery and the shard consumers, interrupting an in-flight invocation. */
    @Override
    public void close() {
        running.set(false);
        Threads.shutdown(discovery, "discovery of " + mapping.eventSourceArn(), log);
        Threads.shutdown(consumers, "shard consumers of " + mapping.eventSourceArn(), log);
        log.atInfo().addKeyValue("function", function.functionName())
                .addKeyValue("eventSourceArn", mapping.eventSourceArn()).log("Event source mapping stopped");
    }
}
