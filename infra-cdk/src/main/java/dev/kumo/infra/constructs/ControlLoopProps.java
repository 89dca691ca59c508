package dev.kumo.infra.constructs;

import software.amazon.awscdk.Duration;

import java.util.Objects;

/**
 * How a {@link ControlLoop} runs its reconciler.
 *
 * @param reconciler        the reconciler's function
 * @param batchSize         keys per invocation, 1 to 10,000 (over 10 needs a batching window)
 * @param maxBatchingWindow how long Lambda gathers keys before it invokes, or null to invoke at once
 * @param maxReceiveCount   deliveries of one message before it goes to the dead-letter queue
 * @param maxConcurrency    at most this many invocations at once from the queue (2 to 1,000), or null
 */
public record ControlLoopProps(KumoFunctionProps reconciler, int batchSize, Duration maxBatchingWindow,
                               int maxReceiveCount, Integer maxConcurrency) {

    public ControlLoopProps {
        Objects.requireNonNull(reconciler, "reconciler");
        if (batchSize < 1 || batchSize > 10_000) {
            throw new IllegalArgumentException("batchSize must be within 1..10000, not " + batchSize);
        }
        if (batchSize > 10 && maxBatchingWindow == null) {
            throw new IllegalArgumentException("a batchSize over 10 needs a maxBatchingWindow");
        }
        if (maxReceiveCount < 1) {
            throw new IllegalArgumentException("maxReceiveCount must be at least 1, not " + maxReceiveCount);
        }
        if (maxConcurrency != null && (maxConcurrency < 2 || maxConcurrency > 1000)) {
            throw new IllegalArgumentException("maxConcurrency must be within 2..1000, not " + maxConcurrency);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private KumoFunctionProps reconciler;
        private int batchSize = 10;
        private Duration maxBatchingWindow;
        private int maxReceiveCount = 5;
        private Integer maxConcurrency;

        private Builder() {
        }

        public Builder reconciler(KumoFunctionProps reconciler) {
            this.reconciler = reconciler;
            return this;
        }

        /** Default 10. */
        public Builder batchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        public Builder maxBatchingWindow(Duration maxBatchingWindow) {
            this.maxBatchingWindow = maxBatchingWindow;
            return this;
        }

        /** Default 5. */
        public Builder maxReceiveCount(int maxReceiveCount) {
            this.maxReceiveCount = maxReceiveCount;
            return this;
        }

        public Builder maxConcurrency(Integer maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
            return this;
        }

        public ControlLoopProps build() {
            return new ControlLoopProps(reconciler, batchSize, maxBatchingWindow, maxReceiveCount, maxConcurrency);
        }
    }
}
