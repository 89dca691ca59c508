package dev.kumo.local.lambda;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings of an event source mapping from a DynamoDB stream, named as in CreateEventSourceMapping.
 *
 * @param functionName               the function to invoke
 * @param eventSourceArn             the stream ARN ({@code LatestStreamArn} of the table)
 * @param startingPosition           where to start reading when the mapping starts
 * @param batchSize                  most records per invocation (1..10000, default 100)
 * @param maximumBatchingWindow      how long to gather records before invoking with fewer than batchSize (default 0)
 * @param maximumRetryAttempts       retries of a failing batch before it is sent to the on-failure destination and
 *                                   skipped; -1 retries forever as AWS's default does. The local default is
 *                                   {@value #DEFAULT_MAXIMUM_RETRY_ATTEMPTS}: with the backoff between retries that
 *                                   rides out roughly half a minute of transient failure, and a poison record never
 *                                   blocks a shard for longer.
 * @param bisectBatchOnFunctionError on a function error, split the batch in two and retry each half separately
 * @param onFailureDestination       URL of an SQS queue that receives a record describing each discarded batch
 * @param reportBatchItemFailures    honour {@code batchItemFailures} in the function's response (FunctionResponseTypes
 *                                   {@code ReportBatchItemFailures}); default true
 */
public record DynamoDbStreamMapping(
        String functionName,
        String eventSourceArn,
        StartingPosition startingPosition,
        int batchSize,
        Duration maximumBatchingWindow,
        int maximumRetryAttempts,
        boolean bisectBatchOnFunctionError,
        Optional<String> onFailureDestination,
        boolean reportBatchItemFailures) {

    public static final int DEFAULT_BATCH_SIZE = 100;
    public static final int DEFAULT_MAXIMUM_RETRY_ATTEMPTS = 10;
    /** AWS's -1: retry until the record expires (here: until it succeeds). */
    public static final int RETRY_FOREVER = -1;

    public DynamoDbStreamMapping {
        Objects.requireNonNull(functionName, "functionName");
        Objects.requireNonNull(eventSourceArn, "eventSourceArn");
        Objects.requireNonNull(startingPosition, "startingPosition");
        Objects.requireNonNull(maximumBatchingWindow, "maximumBatchingWindow");
        Objects.requireNonNull(onFailureDestination, "onFailureDestination");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be within 1..10000: " + batchSize);
        }
        if (maximumBatchingWindow.isNegative() || maximumBatchingWindow.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("maximumBatchingWindow must be within 0..300 seconds: "
                    + maximumBatchingWindow);
        }
        if (maximumRetryAttempts < RETRY_FOREVER || maximumRetryAttempts > 10_000) {
            throw new IllegalArgumentException("maximumRetryAttempts must be -1 or within 0..10000: "
                    + maximumRetryAttempts);
        }
    }

    public static Builder builder(String functionName, String streamArn) {
        return new Builder(functionName, streamArn);
    }

    /** True once a batch that failed {@code failedAttempts} times must be given up on. */
    boolean retriesExhausted(int failedAttempts) {
        return maximumRetryAttempts != RETRY_FOREVER && failedAttempts > maximumRetryAttempts;
    }

    public static final class Builder {
        private final String functionName;
        private final String eventSourceArn;
        private StartingPosition startingPosition = StartingPosition.TRIM_HORIZON;
        private int batchSize = DEFAULT_BATCH_SIZE;
        private Duration maximumBatchingWindow = Duration.ZERO;
        private int maximumRetryAttempts = DEFAULT_MAXIMUM_RETRY_ATTEMPTS;
        private boolean bisectBatchOnFunctionError;
        private String onFailureDestination;
        private boolean reportBatchItemFailures = true;

        private Builder(String functionName, String eventSourceArn) {
            this.functionName = functionName;
            this.eventSourceArn = eventSourceArn;
        }

        public Builder startingPosition(StartingPosition value) {
            this.startingPosition = value;
            return this;
        }

        public Builder batchSize(int value) {
            this.batchSize = value;
            return this;
        }

        public Builder maximumBatchingWindow(Duration value) {
            this.maximumBatchingWindow = value;
            return this;
        }

        public Builder maximumRetryAttempts(int value) {
            this.maximumRetryAttempts = value;
            return this;
        }

        public Builder bisectBatchOnFunctionError(boolean value) {
            this.bisectBatchOnFunctionError = value;
            return this;
        }

        /** The URL of the SQS queue that receives discarded batches. */
        public Builder onFailureDestination(String queueUrl) {
            this.onFailureDestination = queueUrl;
            return this;
        }

        public Builder reportBatchItemFailures(boolean value) {
            this.reportBatchItemFailures = value;
            return this;
        }

        public DynamoDbStreamMapping build() {
            return new DynamoDbStreamMapping(functionName, eventSourceArn, startingPosition, batchSize,
                    maximumBatchingWindow, maximumRetryAttempts, bisectBatchOnFunctionError,
                    Optional.ofNullable(onFailureDestination), reportBatchItemFailures);
        }
    }
}
