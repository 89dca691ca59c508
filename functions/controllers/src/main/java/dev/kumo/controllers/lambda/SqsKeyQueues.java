package dev.kumo.controllers.lambda;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.Delivery;
import dev.kumo.controllers.runtime.KeyQueues;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The loops' queues on SQS: a FIFO queue per loop ({@code KUMO_LOOP_QUEUES}: {@code loop=url,...}) and one standard
 * queue for delayed deliveries ({@code KUMO_TIMER_QUEUE}; FIFO queues have no per-message delay), whose consumer
 * ({@link TimerHandler}) forwards each key to its loop when it is due.
 */
public final class SqsKeyQueues implements KeyQueues {
    private static final Logger LOG = LoggerFactory.getLogger(SqsKeyQueues.class);
    public static final String ENV_LOOP_QUEUES = "KUMO_LOOP_QUEUES";
    public static final String ENV_TIMER_QUEUE = "KUMO_TIMER_QUEUE";
    /** SQS's longest message delay. */
    static final Duration MAX_DELAY = Duration.ofMinutes(15);
    private static final int MAX_BATCH = 10;

    private final SqsClient sqs;
    private final Map<String, String> loopQueues;
    private final String timerQueue;
    private final Clock clock;

    public SqsKeyQueues(SqsClient sqs, Map<String, String> loopQueues, String timerQueue, Clock clock) {
        this.sqs = sqs;
        this.loopQueues = Map.copyOf(loopQueues);
        this.timerQueue = timerQueue;
        this.clock = clock;
    }

    public static SqsKeyQueues fromEnvironment(Map<String, String> env) {
        return new SqsKeyQueues(SqsClients.sqs(env), parseQueues(env.getOrDefault(ENV_LOOP_QUEUES, "")),
                env.getOrDefault(ENV_TIMER_QUEUE, ""), Clock.systemUTC());
    }

    static Map<String, String> parseQueues(String list) {
        Map<String, String> queues = new LinkedHashMap<>();
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int equals = entry.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(ENV_LOOP_QUEUES + " entries are loop=queue-url: " + entry);
            }
            queues.put(entry.substring(0, equals).strip(), entry.substring(equals + 1).strip());
        }
        return queues;
    }

    public Map<String, String> loopQueues() {
        return loopQueues;
    }

    @Override
    public void send(List<Delivery> deliveries) {
        Map<String, List<SendMessageBatchRequestEntry>> byQueue = new LinkedHashMap<>();
        for (Delivery delivery : deliveries) {
            String queue = loopQueues.get(delivery.loop());
            if (queue == null) {
                throw new IllegalStateException("no queue for loop " + delivery.loop() + " in " + ENV_LOOP_QUEUES);
            }
            List<SendMessageBatchRequestEntry> entries = byQueue.computeIfAbsent(queue, q -> new ArrayList<>());
            // Entry ids must be unique within one request: the position within its chunk of MAX_BATCH.
            entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(entries.size() % MAX_BATCH))
                    .messageBody(KeyMessages.body(delivery.key()))
                    .messageGroupId(KeyMessages.groupId(delivery.key()))
                    .messageDeduplicationId(KeyMessages.deduplicationId(delivery.key(), delivery.cause())).build());
        }
        byQueue.forEach(this::sendAll);
        if (LOG.isDebugEnabled()) {
            deliveries.forEach(delivery -> LOG.atDebug().addKeyValue("loop", delivery.loop())
                    .addKeyValue("key", delivery.key().toString()).addKeyValue("cause", delivery.cause())
                    .log("key queued"));
        }
    }

    @Override
    public void sendAfter(String loop, ObjectKey key, Duration delay) {
        if (!loopQueues.containsKey(loop)) {
            throw new IllegalStateException("no queue for loop " + loop + " in " + ENV_LOOP_QUEUES);
        }
        long due = clock.millis() + delay.toMillis();
        sendTimer(loop, key, due);
    }

    /** Puts a key on the timer queue, to come back at {@code dueMillis} (or after 15 minutes, to wait again). */
    void sendTimer(String loop, ObjectKey key, long dueMillis) {
        if (timerQueue.isEmpty()) {
            throw new IllegalStateException("requeue-after needs " + ENV_TIMER_QUEUE);
        }
        long waitSeconds = Math.max(0, (dueMillis - clock.millis() + 999) / 1000);
        int delaySeconds = (int) Math.min(waitSeconds, MAX_DELAY.toSeconds());
        String body = KeyMessages.keyJson(key).put("loop", loop).put("due", dueMillis).toString();
        sqs.sendMessage(b -> b.queueUrl(timerQueue).messageBody(body).delaySeconds(delaySeconds));
    }

    private void sendAll(String queue, List<SendMessageBatchRequestEntry> entries) {
        for (int from = 0; from < entries.size(); from += MAX_BATCH) {
            List<SendMessageBatchRequestEntry> chunk =
                    entries.subList(from, Math.min(entries.size(), from + MAX_BATCH));
            SendMessageBatchResponse response = sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(chunk));
            if (!response.failed().isEmpty()) {
                BatchResultErrorEntry first = response.failed().getFirst();
                throw new IllegalStateException(response.failed().size() + " of " + chunk.size()
                        + " keys not enqueued on " + queue + ": " + first.code() + " " + first.message());
            }
        }
    }
}
