package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kubelet's pod condition generators ({@code pkg/kubelet/status/generate.go}) with their reasons and messages:
 * Initialized, ContainersReady and Ready (readiness gates included).
 */
final class PodConditions {
    record Condition(String status, String reason, String message) {
        static final Condition TRUE = new Condition("True", "", "");
    }

    private final JsonNode spec;
    private final Map<String, RuntimeContainer> init = new HashMap<>();
    private final Map<String, RuntimeContainer> regular = new HashMap<>();
    private final List<RuntimeContainer> regularList;
    private final String phase;

    PodConditions(JsonNode spec, RuntimePod runtime, String phase) {
        this.spec = spec;
        runtime.initContainers().forEach(c -> init.put(c.name(), c));
        runtime.containers().forEach(c -> regular.put(c.name(), c));
        this.regularList = runtime.containers();
        this.phase = phase;
    }

    Condition containersReady() {
        List<String> unknown = new ArrayList<>();
        List<String> unready = new ArrayList<>();
        for (JsonNode container : spec.path("initContainers")) {
            if (PodPhase.isRestartable(container)) {
                classify(container, init, unknown, unready);
            }
        }
        for (JsonNode container : spec.path("containers")) {
            classify(container, regular, unknown, unready);
        }
        if (phase.equals("Succeeded") && unknown.isEmpty()) {
            return new Condition("False", "PodCompleted", "");
        }
        if (phase.equals("Failed")) {
            return new Condition("False", "PodFailed", "");
        }
        return trueUnless("ContainersNotReady", unknown, "unready", unready);
    }

    /** Ready: ContainersReady's verdict, then the readiness gates against {@code conditions} so far. */
    Condition ready(Condition containersReady, JsonNode conditions) {
        if (!containersReady.status().equals("True")) {
            return containersReady;
        }
        List<String> messages = new ArrayList<>();
        for (JsonNode gate : spec.path("readinessGates")) {
            String type = gate.path("conditionType").asText("");
            JsonNode found = null;
            for (JsonNode condition : conditions) {
                if (condition.path("type").asText("").equals(type)) {
                    found = condition;
                }
            }
            if (found == null) {
                messages.add("corresponding condition of pod readiness gate \"" + type + "\" does not exist.");
            } else if (!found.path("status").asText("").equals("True")) {
                messages.add("the status of pod readiness gate \"" + type + "\" is not \"True\", but "
                        + found.path("status").asText(""));
            }
        }
        if (!messages.isEmpty()) {
            return new Condition("False", "ReadinessGatesNotReady", String.join(", ", messages));
        }
        return Condition.TRUE;
    }

    Condition initialized() {
        List<String> unknown = new ArrayList<>();
        List<String> incomplete = new ArrayList<>();
        for (JsonNode container : spec.path("initContainers")) {
            String name = container.path("name").asText();
            RuntimeContainer status = init.get(name);
            if (status == null) {
                unknown.add(name);
            } else if (PodPhase.isRestartable(container) ? !status.started() : !status.ready()) {
                incomplete.add(name);
            }
        }
        if (phase.equals("Succeeded") && unknown.isEmpty()) {
            return new Condition("True", "PodCompleted", "");
        }
        if (PodPhase.anyRegularStarted(regularList)) {
            return Condition.TRUE;
        }
        return trueUnless("ContainersNotInitialized", unknown, "incomplete", incomplete);
    }

    /** True, or False for {@code reason} naming the containers of unknown and of {@code what} status. */
    private static Condition trueUnless(String reason, List<String> unknown, String what, List<String> others) {
        List<String> messages = new ArrayList<>();
        if (!unknown.isEmpty()) {
            messages.add("containers with unknown status: " + goList(unknown));
        }
        if (!others.isEmpty()) {
            messages.add("containers with " + what + " status: " + goList(others));
        }
        return messages.isEmpty() ? Condition.TRUE : new Condition("False", reason, String.join(", ", messages));
    }

    private static void classify(JsonNode container, Map<String, RuntimeContainer> statuses, List<String> unknown,
                                 List<String> unready) {
        String name = container.path("name").asText();
        RuntimeContainer status = statuses.get(name);
        if (status == null) {
            unknown.add(name);
        } else if (!status.ready()) {
            unready.add(name);
        }
    }

    /** A Go {@code []string} printed with {@code %s}: {@code [a b]}. */
    private static String goList(List<String> names) {
        return "[" + String.join(" ", names) + "]";
    }
}
