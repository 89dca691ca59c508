package dev.kumo.controllers.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Delivery;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.runtime.KeyQueues;
import dev.kumo.controllers.runtime.LoopRunner;
import dev.kumo.controllers.runtime.ResyncSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The function of one control loop ({@code KUMO_LOOP}), triggered by the loop's SQS FIFO queue with partial batch
 * responses: each message is a key; failed keys are reported so that only they come back (and after five receives
 * go to the dead-letter queue). A message with the {@link #RESYNC} key is the minute tick: the loop's resync keys are
 * put on its own queue.
 */
public class ControlLoopHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
    public static final String ENV_LOOP = "KUMO_LOOP";
    /** The tick's key: not an object, a request to enqueue the loop's resync keys. */
    public static final ObjectKey RESYNC = new ObjectKey("~resync", "", "tick");
    private static final Logger LOG = LoggerFactory.getLogger(ControlLoopHandler.class);

    private final ControlLoop loop;
    private final KeyQueues queues;
    private final LoopRunner runner;
    private final Clock clock;

    /** Lambda's entry: configuration from the function's environment variables. */
    public ControlLoopHandler() {
        this(System.getenv());
    }

    /** The local Lambda host's entry. */
    public ControlLoopHandler(Map<String, String> env) {
        this(env, LoopCatalog.find(ApiConnection.required(env, ENV_LOOP)).orElseThrow(() ->
                new IllegalStateException("no control loop named " + env.get(ENV_LOOP))));
    }

    private ControlLoopHandler(Map<String, String> env, LoopCatalog.Entry entry) {
        this(env, entry.factory().apply(context(env, entry.component())));
    }

    /**
     * A handler for a given loop: the local cluster's tests run a probe loop through the real handler this way (the
     * local Lambda host builds a handler from its class name and environment, so the probe is a subclass).
     */
    protected ControlLoopHandler(Map<String, String> env, ControlLoop loop) {
        this(loop, SqsKeyQueues.fromEnvironment(env), Clock.systemUTC());
    }

    ControlLoopHandler(ControlLoop loop, KeyQueues queues, Clock clock) {
        this.loop = loop;
        this.queues = queues;
        this.runner = new LoopRunner(loop, queues);
        this.clock = clock;
    }

    private static ControllerContext context(Map<String, String> env, String component) {
        Clock clock = Clock.systemUTC();
        KubeClient client = ApiConnection.client(env, "kumo/" + component);
        return new ControllerContext(client, new EventRecorder(client, component, clock), clock, env);
    }

    @Override
    public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
        List<LoopRunner.Message> messages = new ArrayList<>();
        List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
        for (SQSEvent.SQSMessage message : event.getRecords()) {
            ObjectKey key;
            try {
                key = KeyMessages.key(message.getBody());
            } catch (RuntimeException e) {
                // Not retried into success: it goes to the dead-letter queue after its receives, and says why.
                LOG.atError().setCause(e).addKeyValue("loop", loop.name())
                        .addKeyValue("messageId", message.getMessageId()).log("unreadable message");
                failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                continue;
            }
            if (key.equals(RESYNC)) {
                if (!resync()) {
                    failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
                }
                continue;
            }
            messages.add(new LoopRunner.Message(message.getMessageId(), key));
        }
        try {
            Set<String> failed = runner.run(messages);
            failed.forEach(id -> failures.add(new SQSBatchResponse.BatchItemFailure(id)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reconciling", e);
        }
        return new SQSBatchResponse(failures);
    }

    /**
     * The cause of what one minute's tick enqueues (the request, and the resync keys it brings): a tick delivered
     * twice within the minute enqueues them once.
     */
    static String tickCause(Clock clock) {
        return "tick-" + ResyncSource.tick(clock.instant());
    }

    private boolean resync() {
        try {
            List<ObjectKey> keys = loop.resync().keys();
            String cause = tickCause(clock);
            queues.send(keys.stream().map(key -> new Delivery(loop.name(), key, cause)).toList());
            LOG.atDebug().addKeyValue("loop", loop.name()).addKeyValue("keys", keys.size()).log("resync enqueued");
            return true;
        } catch (Exception e) {
            LOG.atError().setCause(e).addKeyValue("loop", loop.name()).log("resync failed");
            return false;
        }
    }
}
