package dev.kumo.local;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Reports keys that ended in a loop's dead-letter queue (what a CloudWatch alarm on the DLQs' depth does in AWS):
 * every half minute, a warning in the cluster's log whenever a queue's depth changes to a non-zero one, naming the
 * loop.
 */
final class DeadLetterMonitor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterMonitor.class);

    private final SqsClient sqs;
    private final Map<String, String> queues;
    private final Map<String, Integer> reported = new HashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "kumo-dlq-monitor");
        thread.setDaemon(true);
        return thread;
    });

    DeadLetterMonitor(SqsClient sqs, Map<String, String> queues) {
        this.sqs = sqs;
        this.queues = Map.copyOf(queues);
        timer.scheduleWithFixedDelay(this::check, 30, 30, TimeUnit.SECONDS);
    }

    /** Messages in each dead-letter queue, by loop. */
    private Map<String, Integer> depths() {
        Map<String, Integer> depths = new HashMap<>();
        queues.forEach((loop, url) -> depths.put(loop, Integer.parseInt(sqs.getQueueAttributes(b -> b.queueUrl(url)
                .attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES)).attributes()
                .get(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))));
        return depths;
    }

    private void check() {
        try {
            depths().forEach((loop, depth) -> {
                Integer before = reported.put(loop, depth);
                if (depth > 0 && !Integer.valueOf(depth).equals(before)) {
                    LOG.atWarn().addKeyValue("loop", loop).addKeyValue("deadLetters", depth)
                            .addKeyValue("queue", queues.get(loop))
                            .log("keys kept failing and are in the loop's dead-letter queue; see the loop's errors");
                }
            });
        } catch (RuntimeException e) {
            LOG.atWarn().setCause(e).log("could not read the dead-letter queues");
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
