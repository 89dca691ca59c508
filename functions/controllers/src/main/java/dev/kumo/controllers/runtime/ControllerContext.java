package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.client.KubeClient;

import java.time.Clock;

/**
 * What a reconciler gets from its host: the API client under the loop's own identity, the event recorder, and the
 * clock (tests move it).
 */
public record ControllerContext(KubeClient client, EventRecorder events, Clock clock) {
}
