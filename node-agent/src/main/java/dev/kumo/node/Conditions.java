package dev.kumo.node;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** What node and pod conditions share. */
public final class Conditions {
    private Conditions() {
    }

    /**
     * A condition's {@code lastTransitionTime} at {@code now}: the previous condition's of that type while its
     * status holds, else now (the kubelet's rule for both node and pod conditions).
     */
    public static String lastTransitionTime(JsonNode previousConditions, String type, String status, Instant now) {
        for (JsonNode previous : previousConditions) {
            if (previous.path("type").asText("").equals(type) && previous.path("status").asText("").equals(status)
                    && previous.hasNonNull("lastTransitionTime")) {
                return previous.path("lastTransitionTime").asText();
            }
        }
        return ApiTime.time(now);
    }
}
