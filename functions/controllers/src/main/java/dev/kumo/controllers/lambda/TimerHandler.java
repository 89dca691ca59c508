package dev.kumo.controllers.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Consumes the timer queue (requeue-after): a key that is due goes to its loop's queue; one that is not yet due
 * (waits beyond SQS's 15-minute delay) goes back on the timer queue for the rest.
 */
public final class TimerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    private static final Logger LOG = LoggerFactory.getLogger(TimerHandler.class);
    /** A key this close to its time is sent now: delays are whole seconds anyway. */
    private static final long EARLY_MILLIS = 1000;

    private final SqsKeyQueues queues;
    private final Clock clock;

    public TimerHandler() {
        this(System.getenv());
    }

    public TimerHandler(Map<String, String> env) {
        this(SqsKeyQueues.fromEnvironment(env), Clock.systemUTC());
    }

    TimerHandler(SqsKeyQueues queues, Clock clock) {
        this.queues = queues;
        this.clock = clock;
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            try {
                JsonNode body = KeyMessages.parse(message.getBody());
                String loop = body.path("loop").asText();
                long due = body.path("due").asLong();
                ObjectKey key = KeyMessages.key(body);
                if (due - clock.millis() > EARLY_MILLIS) {
                    queues.sendTimer(loop, key, due);
                } else {
                    queues.send(List.of(new Delivery(loop, key, "after-" + due)));
                }
            } catch (RuntimeException e) {
                LOG.atError().setCause(e).addKeyValue("messageId", message.getMessageId())
                        .log("could not forward a delayed key");
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
            }
        }
        return new SQSBatchResponse(failures);
    }
}
