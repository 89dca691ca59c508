package dev.kumo.local.lambda;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.lambda.ControlLoopHandler;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.Result;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The real loop handler around a loop whose reconciler records when each key was reconciled: {@code poison-*} keys
 * always fail, {@code later-*} keys ask to be requeued after two seconds the first time.
 */
public final class ProbeLoopHandler extends ControlLoopHandler {
    static final Map<String, List<Instant>> RECONCILED = new ConcurrentHashMap<>();

    public ProbeLoopHandler(Map<String, String> env) {
        super(env, new ControlLoop("probe", change -> List.of(), ProbeLoopHandler::reconcile,
                () -> List.of(new ObjectKey("pods", "default", "resynced"))));
    }

    private static Result reconcile(ObjectKey key) {
        List<Instant> times = RECONCILED.computeIfAbsent(key.name(), k -> new CopyOnWriteArrayList<>());
        times.add(Instant.now());
        if (key.name().startsWith("poison")) {
            throw new IllegalStateException("this key always fails: " + key);
        }
        return key.name().startsWith("later") && times.size() == 1 ? Result.requeueAfter(Duration.ofSeconds(2))
                : Result.DONE;
    }

}
