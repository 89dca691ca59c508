package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.lambda.FanOutHandler;
import dev.kumo.controllers.runtime.FanOut;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real fan-out handler with one loop, {@code probe}, whose key mapper sends every change's own key and notes
 * which changes came without their object.
 */
public final class ProbeFanOutHandler implements RequestHandler<DynamodbEvent, StreamsEventResponse> {
    static final Set<ObjectKey> WITHOUT_OBJECT = ConcurrentHashMap.newKeySet();

    private final FanOutHandler handler;

    public ProbeFanOutHandler(Map<String, String> env) {
        handler = new FanOutHandler(env, new FanOut(Map.of("probe", change -> {
            if (change.object() == null) {
                WITHOUT_OBJECT.add(change.key());
            }
            return List.of(change.key());
        })));
    }

    @Override
    public StreamsEventResponse handleRequest(DynamodbEvent event, Context context) {
        return handler.handleRequest(event, context);
    }
}
