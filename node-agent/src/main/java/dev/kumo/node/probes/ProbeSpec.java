package dev.kumo.node.probes;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Duration;

/**
 * A container's probe as the API defaults it: its action ({@code httpGet}, {@code tcpSocket}, {@code exec} or
 * {@code grpc}, in {@code handler}), {@code initialDelaySeconds} (0), {@code periodSeconds} (10),
 * {@code timeoutSeconds} (1), {@code successThreshold} (1), {@code failureThreshold} (3) and the probe's own
 * {@code terminationGracePeriodSeconds} (null: the pod's).
 */
public record ProbeSpec(JsonNode handler, int initialDelaySeconds, int periodSeconds, int timeoutSeconds,
                        int successThreshold, int failureThreshold, Long terminationGracePeriodSeconds) {

    public static ProbeSpec of(JsonNode probe) {
        JsonNode grace = probe.path("terminationGracePeriodSeconds");
        return new ProbeSpec(probe, probe.path("initialDelaySeconds").asInt(0),
                positive(probe.path("periodSeconds").asInt(10), 10), positive(probe.path("timeoutSeconds").asInt(1), 1),
                positive(probe.path("successThreshold").asInt(1), 1), positive(probe.path("failureThreshold").asInt(3), 3),
                grace.isNumber() ? grace.asLong() : null);
    }

    public Duration period() {
        return Duration.ofSeconds(periodSeconds);
    }

    public Duration timeout() {
        return Duration.ofSeconds(timeoutSeconds);
    }

    private static int positive(int value, int otherwise) {
        return value > 0 ? value : otherwise;
    }
}
