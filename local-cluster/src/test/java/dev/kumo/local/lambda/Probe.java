package dev.kumo.local.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Connects a test to the handlers the host creates by class name: the test registers a probe, passes its id in the
 * function's environment, and the handler records each invocation and answers with the probe's behaviour.
 */
final class Probe {

    static final String ENVIRONMENT_KEY = "PROBE_ID";
    private static final Map<String, Probe> PROBES = new ConcurrentHashMap<>();

    /** What the handler does with an event; may throw to make the invocation fail. */
    interface Behaviour {
        Object handle(Object event, Context context) throws Exception;
    }

    record Invocation(Object event, Context context, Object handler) {
    }

    final String id = UUID.randomUUID().toString();
    final List<Invocation> invocations = new CopyOnWriteArrayList<>();
    volatile Behaviour behaviour = (event, context) -> null;

    static Probe create() {
        Probe probe = new Probe();
        PROBES.put(probe.id, probe);
        return probe;
    }

    Map<String, String> environment() {
        return Map.of(ENVIRONMENT_KEY, id);
    }

    FunctionConfiguration function(String functionName) {
        return FunctionConfiguration.of(functionName, Handler.class.getName()).withEnvironment(environment());
    }

    <T> List<T> events(Class<T> type) {
        return invocations.stream().map(i -> type.cast(i.event())).toList();
    }

    /** The handler every test function uses; one instance per execution environment, as in Lambda. */
    public static final class Handler implements RequestHandler<Object, Object> {

        private final Probe probe;

        public Handler(Map<String, String> environment) {
            this.probe = PROBES.get(environment.get(ENVIRONMENT_KEY));
        }

        @Override
        public Object handleRequest(Object event, Context context) {
            probe.invocations.add(new Invocation(event, context, this));
            try {
                return probe.behaviour.handle(event, context);
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
