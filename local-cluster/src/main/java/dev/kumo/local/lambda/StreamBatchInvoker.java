package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.Record;

/** Invokes the function with one batch of stream records and says what became of it. */
final class StreamBatchInvoker {

    private static final Logger log = LoggerFactory.getLogger(StreamBatchInvoker.class);

    /** What an invocation with a batch came to. */
    sealed interface Outcome {
    }

    record Succeeded(String requestId) implements Outcome {
    }

    /** The records before {@code firstFailedIndex} succeeded; the mapping checkpoints there and retries from it. */
    record PartiallyFailed(String requestId, int firstFailedIndex) implements Outcome {
    }

    /** The handler threw, timed out, or answered with an invalid batchItemFailures list. */
    record Failed(String requestId) implements Outcome {
    }

    /** The function was at its reserved concurrency; the batch never reached it. */
    record Throttled() implements Outcome {
    }

    private final LocalFunction function;
    private final DynamodbEventConverter converter;
    private final boolean reportBatchItemFailures;

    StreamBatchInvoker(LocalFunction function, DynamodbEventConverter converter, boolean reportBatchItemFailures) {
        this.function = function;
        this.converter = converter;
        this.reportBatchItemFailures = reportBatchItemFailures;
    }

    Outcome invoke(List<Record> batch, String shardId) throws InterruptedException {
        InvocationResult result;
        try {
            result = function.invoke(converter.toEvent(batch));
        } catch (TooManyRequestsException e) {
            return new Throttled();
        } catch (FunctionErrorException e) {
            return new Failed(e.requestId());
        }
        if (!reportBatchItemFailures) {
            return new Succeeded(result.requestId());
        }
        List<String> sequenceNumbers = batch.stream().map(r -> r.dynamodb().sequenceNumber()).toList();
        List<String> reported = result.payload() instanceof StreamsEventResponse response
                ? BatchItemFailures.identifiers(response.getBatchItemFailures(),
                        StreamsEventResponse.BatchItemFailure::getItemIdentifier)
                : null;
        return switch (BatchItemFailures.judge(reported, new LinkedHashSet<>(sequenceNumbers))) {
            case BatchItemFailures.AllSucceeded ignored -> new Succeeded(result.requestId());
            case BatchItemFailures.SomeFailed failed ->
                    new PartiallyFailed(result.requestId(), firstFailedIndex(sequenceNumbers, failed.itemIdentifiers()));
            case BatchItemFailures.Invalid invalid -> {
                log.atWarn().addKeyValue("function", function.functionName()).addKeyValue("shardId", shardId)
                        .addKeyValue("requestId", result.requestId())
                        .log("Treating the whole batch as failed: {}", invalid.reason());
                yield new Failed(result.requestId());
            }
        };
    }

    /** Lambda resumes from the lowest failed sequence number, which is the first failed record in batch order. */
    private static int firstFailedIndex(List<String> sequenceNumbers, Set<String> failed) {
        for (int i = 0; i < sequenceNumbers.size(); i++) {
            if (failed.contains(sequenceNumbers.get(i))) {
                return i;
            }
        }
        throw new IllegalStateException("No failed sequence number in the batch: " + failed);
    }
}
