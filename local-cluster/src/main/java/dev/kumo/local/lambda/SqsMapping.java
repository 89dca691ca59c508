package dev.kumo.local.lambda;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings of an event source mapping from an SQS queue, named as in CreateEventSourceMapping.
 *
 * @param functionName            the function to invoke
 * @param queueUrl                the queue to poll (the mapping looks up its ARN for {@code eventSourceARN})
 * @param batchSize               most messages per invocation, 1..10 (one ReceiveMessage call)
 * @param maximumConcurrency      pollers, hence concurrent invocations, for this mapping (ScalingConfig), 2..1000
 * @param reportBatchItemFailures honour {@code batchItemFailures} in the function's response; default true
 * @param receiveWaitTime         ReceiveMessage's WaitTimeSeconds (Lambda long-polls for 20 s); also bounds how long
 *                                close() can wait for a poller blocked in ReceiveMessage
 */
public record SqsMapping(
        String functionName,
        String queueUrl,
        int batchSize,
        int maximumConcurrency,
        boolean reportBatchItemFailures,
        Duration receiveWaitTime) {

    public static final int DEFAULT_BATCH_SIZE = 10;
    public static final int DEFAULT_MAXIMUM_CONCURRENCY = 2;
    public static final Duration DEFAULT_RECEIVE_WAIT_TIME = Duration.ofSeconds(20);

    public SqsMapping {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(queueUrl, "queueUrl");
        Objects.requireNonNull(receiveWaitTime, "receiveWaitTime");
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("batchSize must be within 1..10: " + batchSize);
        }
        if (maximumConcurrency < 2 || maximumConcurrency > 1000) {
            throw new IllegalArgumentException("maximumConcurrency must be within 2..1000: " + maximumConcurrency);
        }
        if (receiveWaitTime.isNegative() || receiveWaitTime.compareTo(Duration.ofSeconds(20)) > 0) {
            throw new IllegalArgumentException("receiveWaitTime must be within 0..20 seconds: " + receiveWaitTime);
        }
    }

    /** A mapping with the defaults above. */
    public static SqsMapping of(String functionName, String queueUrl) {
        return new SqsMapping(functionName, queueUrl, DEFAULT_BATCH_SIZE, DEFAULT_MAXIMUM_CONCURRENCY, true,
                DEFAULT_RECEIVE_WAIT_TIME);
    }

    public SqsMapping withBatchSize(int value) {
        return new SqsMapping(functionName, queueUrl, value, maximumConcurrency, reportBatchItemFailures,
                receiveWaitTime);
    }

    public SqsMapping withMaximumConcurrency(int value) {
        return new SqsMapping(functionName, queueUrl, batchSize, value, reportBatchItemFailures, receiveWaitTime);
    }

    public SqsMapping withReportBatchItemFailures(boolean value) {
        return new SqsMapping(functionName, queueUrl, batchSize, maximumConcurrency, value, receiveWaitTime);
    }

    public SqsMapping withReceiveWaitTime(Duration value) {
        return new SqsMapping(functionName, queueUrl, batchSize, maximumConcurrency, reportBatchItemFailures, value);
    }
}
