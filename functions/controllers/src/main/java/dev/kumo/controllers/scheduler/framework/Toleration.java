package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/** A pod toleration ({@code spec.tolerations[]}) and the matching rules of {@code Toleration.ToleratesTaint}. */
public record Toleration(String key, String operator, String value, String effect) {

    public static List<Toleration> of(JsonNode pod) {
        List<Toleration> tolerations = new ArrayList<>();
        for (JsonNode toleration : pod.path("spec").path("tolerations")) {
            tolerations.add(new Toleration(toleration.path("key").asText(""),
                    toleration.path("operator").asText(""), toleration.path("value").asText(""),
                    toleration.path("effect").asText("")));
        }
        return List.copyOf(tolerations);
    }

    /**
     * An empty effect matches every effect, an empty key (with Exists) every key; the operator defaults to Equal,
     * and an operator Kubernetes does not know tolerates nothing.
     */
    public boolean tolerates(Taint taint) {
        if (!effect.isEmpty() && !effect.equals(taint.effect())) {
            return false;
        }
        if (!key.isEmpty() && !key.equals(taint.key())) {
            return false;
        }
        return switch (operator) {
            case "", "Equal" -> value.equals(taint.value());
            case "Exists" -> true;
            default -> false;
        };
    }

    public static boolean tolerate(List<Toleration> tolerations, Taint taint) {
        for (Toleration toleration : tolerations) {
            if (toleration.tolerates(taint)) {
                return true;
            }
        }
        return false;
    }

    /** The first taint, in the node's order, that {@code inScope} selects and no toleration tolerates. */
    public static Optional<Taint> findUntolerated(List<Taint> taints, List<Toleration> tolerations,
                                                  Predicate<Taint> inScope) {
        for (Taint taint : taints) {
            if (inScope.test(taint) && !tolerate(tolerations, taint)) {
                return Optional.of(taint);
            }
        }
        return Optional.empty();
    }
}
