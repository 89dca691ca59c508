package dev.kumo.local.lambda;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.model.Record;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;

/**
 * Processes one shard from its starting position to its end, one batch in flight at a time so that records are
 * delivered in shard order. A failed batch is retried from its checkpoint (the first record not yet processed) until
 * it succeeds or its retries are exhausted; then it is described to the on-failure destination and skipped.
 */
final class ShardConsumer implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(ShardConsumer.class);

    private final ShardReader reader;
    private final StreamBatchInvoker invoker;
    private final DynamoDbStreamMapping mapping;
    private final LocalFunction function;
    private final Optional<OnFailureDestination> destination;
    private final StreamPolling polling;
    private final Clock clock;
    private final AtomicBoolean running;
    private final Consumer<String> onShardEnd;

    /** Records read but not yet processed; the first one is the checkpoint. */
    private final Deque<Record> pending = new ArrayDeque<>();
    private Instant oldestPendingReadAt;
    /**
     * Sizes the next batches must have, the next one on top: the halves of a bisected batch, or a failed batch being
     * retried (a retry carries the records that failed, never records read since, as in Lambda; those would
     * otherwise be skipped with it when its retries run out).
     */
    private final Deque<Integer> nextBatchSizes = new ArrayDeque<>();
    /** Failed invocations with the batch at the checkpoint. */
    private int failedAttempts;
    private int consecutiveThrottles;
    private int consecutiveErrors;

    ShardConsumer(ShardReader reader, StreamBatchInvoker invoker, DynamoDbStreamMapping mapping, LocalFunction function,
                  Optional<OnFailureDestination> destination, StreamPolling polling, Clock clock,
                  AtomicBoolean running, Consumer<String> onShardEnd) {
        this.reader = reader;
        this.invoker = invoker;
        this.mapping = mapping;
        this.function = function;
        this.destination = destination;
        this.polling = polling;
        this.clock = clock;
        this.running = running;
        this.onShardEnd = onShardEnd;
    }

    @Override
    public void run() {
        try {
            while (running.get() && !Thread.currentThread().isInterrupted()) {
                try {
                    if (step()) {
                        return;
                    }
                    consecutiveErrors = 0;
                } catch (ResourceNotFoundException e) {
                    log.atWarn().addKeyValue("function", function.functionName())
                            .addKeyValue("shardId", reader.shardId())
                            .log("Stream or shard no longer exists; stopping: {}", e.getMessage());
                    return;
                } catch (SdkException e) {
                    if (!running.get()) {
                        return;
                    }
                    consecutiveErrors++;
                    log.atWarn().addKeyValue("function", function.functionName())
                            .addKeyValue("shardId", reader.shardId())
                            .log("DynamoDB Streams call failed; retrying: {}", e.getMessage());
                    Threads.sleep(polling.retryBackoff().delay(consecutiveErrors));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.atError().addKeyValue("function", function.functionName()).addKeyValue("shardId", reader.shardId())
                    .setCause(e).log("Shard consumer stopped by an unexpected error");
        }
    }

    /** One round of reading and delivering; true once the shard is processed to its end. */
    private boolean step() throws InterruptedException {
        boolean read = readIfRoom();
        if (pending.isEmpty()) {
            if (reader.ended()) {
                log.atInfo().addKeyValue("function", function.functionName()).addKeyValue("shardId", reader.shardId())
                        .log("Shard processed to its end");
                onShardEnd.accept(reader.shardId());
                return true;
            }
            Threads.sleep(polling.shardPollInterval());
        } else if (batchReady()) {
            deliverNextBatch();
        } else if (!read) {
            Threads.sleep(min(polling.shardPollInterval(), windowRemaining()));
        }
        return false;
    }

    private boolean readIfRoom() {
        if (reader.ended() || pending.size() >= mapping.batchSize()) {
            return false;
        }
        List<Record> records = reader.read();
        if (records.isEmpty()) {
            return false;
        }
        if (pending.isEmpty()) {
            oldestPendingReadAt = clock.instant();
        }
        pending.addAll(records);
        return true;
    }

    private boolean batchReady() {
        return pending.size() >= mapping.batchSize()
                || reader.ended()
                || failedAttempts > 0
                || !nextBatchSizes.isEmpty()
                || windowRemaining().isZero();
    }

    private Duration windowRemaining() {
        Duration waited = Duration.between(oldestPendingReadAt, clock.instant());
        Duration remaining = mapping.maximumBatchingWindow().minus(waited);
        return remaining.isNegative() ? Duration.ZERO : remaining;
    }

    private void deliverNextBatch() throws InterruptedException {
        int limit = nextBatchSizes.isEmpty() ? mapping.batchSize() : nextBatchSizes.peek();
        int size = Math.min(pending.size(), limit);
        List<Record> batch = pending.stream().limit(size).toList();
        StreamBatchInvoker.Outcome outcome = invoker.invoke(batch, reader.shardId());
        if (outcome instanceof StreamBatchInvoker.Throttled) {
            // The batch never reached the function: not a failed attempt, just wait for a free slot.
            consecutiveThrottles++;
            Threads.sleep(polling.retryBackoff().delay(consecutiveThrottles));
            return;
        }
        consecutiveThrottles = 0;
        switch (outcome) {
            case StreamBatchInvoker.Succeeded succeeded -> {
                advance(size);
                failedAttempts = 0;
                logBatch(batch, succeeded.requestId());
            }
            case StreamBatchInvoker.PartiallyFailed partial -> {
                int processed = partial.firstFailedIndex();
                advance(processed);
                failedAttempts = processed > 0 ? 1 : failedAttempts + 1;
                afterFailure(batch.subList(processed, size), partial.requestId(), null);
            }
            case StreamBatchInvoker.Failed failed -> {
                if (mapping.bisectBatchOnFunctionError() && size > 1) {
                    bisect(size);
                    log.atWarn().addKeyValue("function", function.functionName())
                            .addKeyValue("shardId", reader.shardId()).addKeyValue("requestId", failed.requestId())
                            .addKeyValue("batchSize", size)
                            .log("Batch failed; retrying its halves separately");
                } else {
                    failedAttempts++;
                    afterFailure(batch, failed.requestId(), "Unhandled");
                }
            }
            case StreamBatchInvoker.Throttled ignored -> throw new IllegalStateException("handled above");
        }
    }

    private void afterFailure(List<Record> failed, String requestId, String functionError)
            throws InterruptedException {
        String first = failed.getFirst().dynamodb().sequenceNumber();
        if (!mapping.retriesExhausted(failedAttempts)) {
            retryExactly(failed.size());
            log.atWarn().addKeyValue("function", function.functionName()).addKeyValue("shardId", reader.shardId())
                    .addKeyValue("requestId", requestId).addKeyValue("batchSize", failed.size())
                    .addKeyValue("checkpoint", first).addKeyValue("failedAttempts", failedAttempts)
                    .log("Batch failed; retrying from the checkpoint");
            Threads.sleep(polling.retryBackoff().delay(failedAttempts));
            return;
        }
        log.atError().addKeyValue("function", function.functionName()).addKeyValue("shardId", reader.shardId())
                .addKeyValue("requestId", requestId).addKeyValue("batchSize", failed.size())
                .addKeyValue("startSequenceNumber", first)
                .addKeyValue("endSequenceNumber", failed.getLast().dynamodb().sequenceNumber())
                .addKeyValue("failedAttempts", failedAttempts)
                .log("Retry attempts exhausted; skipping the batch");
        if (destination.isPresent()) {
            destination.get().send(failureRecord(failed, requestId, functionError), function.functionName());
        }
        advance(failed.size());
        failedAttempts = 0;
    }

    /** Drops the first {@code count} pending records: processed, or given up on. */
    private void advance(int count) {
        for (int i = 0; i < count; i++) {
            pending.removeFirst();
        }
        if (!nextBatchSizes.isEmpty()) {
            int current = nextBatchSizes.pop();
            if (current > count) {
                nextBatchSizes.push(current - count);
            }
        }
        if (pending.isEmpty()) {
            oldestPendingReadAt = null;
        }
    }

    /** The next batch is the {@code size} records at the checkpoint, however many more were read meanwhile. */
    private void retryExactly(int size) {
        takeFromPlanned(size);
        nextBatchSizes.push(size);
    }

    private void bisect(int size) {
        takeFromPlanned(size);
        int firstHalf = size / 2;
        nextBatchSizes.push(size - firstHalf);
        nextBatchSizes.push(firstHalf);
    }

    /** The failed batch's {@code size} records leave the batch planned next; the rest of it stays planned. */
    private void takeFromPlanned(int size) {
        if (!nextBatchSizes.isEmpty()) {
            int planned = nextBatchSizes.pop();
            if (planned > size) {
                nextBatchSizes.push(planned - size);
            }
        }
    }

    private StreamBatchFailure failureRecord(List<Record> failed, String requestId, String functionError) {
        Record first = failed.getFirst();
        Record last = failed.getLast();
        return new StreamBatchFailure(
                new StreamBatchFailure.RequestContext(requestId, function.functionArn(),
                        StreamBatchFailure.RETRY_ATTEMPTS_EXHAUSTED, failedAttempts),
                new StreamBatchFailure.ResponseContext(200, InvocationContext.FUNCTION_VERSION, functionError),
                "1.0",
                clock.instant().toString(),
                new StreamBatchFailure.DdbStreamBatchInfo(reader.shardId(), first.dynamodb().sequenceNumber(),
                        last.dynamodb().sequenceNumber(), arrival(first), arrival(last), failed.size(),
                        mapping.eventSourceArn()));
    }

    private static String arrival(Record record) {
        Instant created = record.dynamodb().approximateCreationDateTime();
        return created == null ? null : created.toString();
    }

    private void logBatch(List<Record> batch, String requestId) {
        log.atDebug().addKeyValue("function", function.functionName()).addKeyValue("shardId", reader.shardId())
                .addKeyValue("requestId", requestId).addKeyValue("batchSize", batch.size())
                .addKeyValue("checkpoint", batch.getLast().dynamodb().sequenceNumber())
                .log("Batch processed");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
