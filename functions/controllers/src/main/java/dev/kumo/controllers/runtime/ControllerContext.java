package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.events.EventRecorder;

import java.time.Clock;
import java.util.Map;

/**
 * What a reconciler gets from its host: the API client under the loop's own identity, the event recorder, the
 * clock (tests move it), and the function's settings (its environment; a loop reads its own flags from it, like
 * kube-controller-manager's {@code --root-ca-file}).
 */
public record ControllerContext(KubeClient client, EventRecorder events, Clock clock, Map<String, String> settings) {
    public ControllerContext {
        settings = Map.copyOf(settings);
    }

    /** A context without settings: every loop's defaults. */
    public ControllerContext(KubeClient client, EventRecorder events, Clock clock) {
        this(client, events, clock, Map.of());
    }
}
