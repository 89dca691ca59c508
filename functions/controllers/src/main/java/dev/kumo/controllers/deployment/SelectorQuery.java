package dev.kumo.controllers.deployment;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A {@code metav1.LabelSelector} written as the {@code labelSelector} query of a list. */
final class SelectorQuery {
    private SelectorQuery() {
    }

    /** {@code matchLabels} as {@code k=v}, {@code matchExpressions} as {@code k in (a,b)}, {@code k}, {@code !k}. */
    static String query(JsonNode selector) {
        List<String> terms = new ArrayList<>();
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            terms.add(label.getKey() + "=" + label.getValue().asText());
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String key = expression.path("key").asText();
            List<String> values = new ArrayList<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            switch (expression.path("operator").asText()) {
                case "In" -> terms.add(key + " in (" + String.join(",", values) + ")");
                case "NotIn" -> terms.add(key + " notin (" + String.join(",", values) + ")");
                case "Exists" -> terms.add(key);
                case "DoesNotExist" -> terms.add("!" + key);
                default -> throw new IllegalArgumentException("unknown selector operator in " + expression);
            }
        }
        return String.join(",", terms);
    }
}
