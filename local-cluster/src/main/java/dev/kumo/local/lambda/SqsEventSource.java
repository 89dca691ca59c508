package dev.kumo.local.lambda;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/** An event source mapping from an SQS queue to a function: {@code maximumConcurrency} {@link SqsPoller}s. */
public final class SqsEventSource implements LocalEventSource {

    private static final Logger log = LoggerFactory.getLogger(SqsEventSource.class);

    private final SqsMapping mapping;
    private final LocalFunction function;
    private final SqsClient sqs;
    private final AwsLocation location;
    private final RetryBackoff backoff;
    private final AtomicBoolean running = new AtomicBoolean();
    /**
     * Virtual threads: interrupting one blocked in a socket read (the long poll) aborts the read, so close() does
     * not wait out WaitTimeSeconds.
     */
    private final ExecutorService pollers;

    public SqsEventSource(SqsMapping mapping, LocalFunction function, SqsClient sqs, AwsLocation location) {
        this(mapping, function, sqs, location, RetryBackoff.DEFAULT);
    }

    SqsEventSource(SqsMapping mapping, LocalFunction function, SqsClient sqs, AwsLocation location,
                   RetryBackoff backoff) {
        function.requireName(mapping.functionName(), "Mapping of " + mapping.queueUrl());
        this.mapping = mapping;
        this.function = function;
        this.sqs = sqs;
        this.location = location;
        this.backoff = backoff;
        this.pollers = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("esm-sqs-" + function.functionName() + "-poller-", 1).factory());
    }

    public SqsMapping mapping() {
        return mapping;
    }

    /** Looks up the queue's ARN (failing if the queue does not exist) and starts the pollers. */
    @Override
    public void start() {
        String queueArn = sqs.getQueueAttributes(b -> b.queueUrl(mapping.queueUrl())
                .attributeNames(QueueAttributeName.QUEUE_ARN)).attributes().get(QueueAttributeName.QUEUE_ARN);
        if (!running.compareAndSet(false, true)) {
            throw new IllegalStateException("Already started: " + mapping.queueUrl());
        }
        SqsMessageConverter converter = new SqsMessageConverter(queueArn, location.region());
        for (int i = 0; i < mapping.maximumConcurrency(); i++) {
            pollers.execute(new SqsPoller(mapping, function, sqs, converter, backoff, running));
        }
        log.atInfo().addKeyValue("function", function.functionName()).addKeyValue("queueUrl", mapping.queueUrl())
                .addKeyValue("maximumConcurrency", mapping.maximumConcurrency()).log("Event source mapping started");
    }

    /** Stops the pollers; messages of an interrupted invocation return after their visibility timeout. */
    @Override
    public void close() {
        running.set(false);
        Threads.shutdown(pollers, "pollers of " + mapping.queueUrl(), log);
        log.atInfo().addKeyValue("function", function.functionName()).addKeyValue("queueUrl", mapping.queueUrl())
                .log("Event source mapping stopped");
    }
}
