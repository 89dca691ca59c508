package dev.kumo.infra.constructs;

import software.amazon.awscdk.services.sqs.IQueue;

import java.util.Objects;

/**
 * How a {@link ControlLoop} runs its reconciler.
 *
 * @param loop              the loop's name ({@code KUMO_LOOP}: which loop of the jar's catalog the function runs)
 * @param reconciler        the reconciler's function
 * @param timer             the standard queue that brings keys back later (requeue after), or null
 * @param batchSize         keys per invocation, 1 to 10 (Lambda's limit for FIFO queues)
 * @param maxReceiveCount   deliveries of one message before it goes to the dead-letter queue
 * @param maxConcurrency    at most this many invocations at once from the queue (2 to 1,000), or null
 */
public record ControlLoopProps(String loop, KumoFunctionProps reconciler, IQueue timer, int batchSize,
                               int maxReceiveCount, Integer maxConcurrency) {

    public ControlLoopProps {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(reconciler, "reconciler");
        if (batchSize < 1 || batchSize > 10) {
            throw new IllegalArgumentException("batchSize must be within 1..10 for a FIFO queue, not " + batchSize);
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
        private String loop;
        private KumoFunctionProps reconciler;
        private IQueue timer;
        private int batchSize = 10;
        private int maxReceiveCount = 5;
        private Integer maxConcurrency;

        private Builder() {
        }

        public Builder loop(String loop) {
            this.loop = loop;
            return this;
        }

        public Builder timer(IQueue timer) {
            this.timer = timer;
            return this;
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
            return new ControlLoopProps(loop, reconciler, timer, batchSize, maxReceiveCount, maxConcurrency);
        }
    }
}
