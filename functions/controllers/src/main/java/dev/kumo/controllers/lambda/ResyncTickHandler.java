package dev.kumo.controllers.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import dev.kumo.controllers.runtime.Delivery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The minute tick (an EventBridge schedule): puts one resync request on every loop's queue. The loop itself lists
 * what it wants to look at, under its own identity, so this function needs no API access at all.
 */
public final class ResyncTickHandler implements RequestHandler<ScheduledEvent, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(ResyncTickHandler.class);

    private final SqsKeyQueues queues;
    private final Clock clock;

    public ResyncTickHandler() {
        this(System.getenv());
    }

    public ResyncTickHandler(Map<String, String> env) {
        this.queues = SqsKeyQueues.fromEnvironment(env);
        this.clock = Clock.systemUTC();
    }

    @Override
    public Void handleRequest(ScheduledEvent event, Context context) {
        String cause = ControlLoopHandler.tickCause(clock);
        List<Delivery> ticks = queues.loopQueues().keySet().stream()
                .map(loop -> new Delivery(loop, ControlLoopHandler.RESYNC, cause)).toList();
        queues.send(ticks);
        LOG.atDebug().addKeyValue("loops", ticks.size()).log("resync requested");
        return null;
    }
}
