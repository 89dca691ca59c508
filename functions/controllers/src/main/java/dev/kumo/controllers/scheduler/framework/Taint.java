package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/** A node taint ({@code spec.taints[]}). */
public record Taint(String key, String value, String effect) {
    public static final String NO_SCHEDULE = "NoSchedule";
    public static final String PREFER_NO_SCHEDULE = "PreferNoSchedule";
    public static final String NO_EXECUTE = "NoExecute";

    /** The taint that stands for {@code spec.unschedulable}. */
    public static final String UNSCHEDULABLE_KEY = "node.kubernetes.io/unschedulable";

    public static List<Taint> of(JsonNode node) {
        List<Taint> taints = new ArrayList<>();
        for (JsonNode taint : node.path("spec").path("taints")) {
            taints.add(new Taint(taint.path("key").asText(""), taint.path("value").asText(""),
                    taint.path("effect").asText("")));
        }
        return List.copyOf(taints);
    }

    /** NoSchedule and NoExecute: the effects that keep a pod off the node ({@code DoNotScheduleTaintsFilterFunc}). */
    public boolean preventsScheduling() {
        return NO_SCHEDULE.equals(effect) || NO_EXECUTE.equals(effect);
    }
}
