package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A {@code metav1.LabelSelector} object ({@code matchLabels}, {@code matchExpressions}): reading and checking it. */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /**
     * The selector an object describes; an empty one selects everything ({@code LabelSelectorAsSelector}). Call
     * {@link #validate} first: unknown operators are read as selecting nothing.
     */
    public static LabelSelector fromJson(JsonNode selector) {
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            requirements.add(new LabelSelector.Requirement(label.getKey(), LabelSelector.Operator.EQUALS,
                    Set.of(label.getValue().asText())));
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            Set<String> values = new LinkedHashSet<>();
            expression.path("values").forEach(value -> values.add(value.asText()));
            String key = expression.path("key").asText("");
            requirements.add(switch (expression.path("operator").asText("")) {
                case "In" -> new LabelSelector.Requirement(key, LabelSelector.Operator.IN, values);
                case "NotIn" -> new LabelSelector.Requirement(key, LabelSelector.Operator.NOT_IN, values);
                case "Exists" -> new LabelSelector.Requirement(key, LabelSelector.Operator.EXISTS, Set.of());
                case "DoesNotExist" -> new LabelSelector.Requirement(key, LabelSelector.Operator.DOES_NOT_EXIST,
                        Set.of());
                default -> new LabelSelector.Requirement(key, LabelSelector.Operator.IN, Set.of());
            });
        }
        return new LabelSelector(requirements);
    }

    /** {@code ValidateLabelSelector}: label keys and values, and operators with the values they need. */
    public static List<FieldError> validate(JsonNode selector, String path) {
        List<FieldError> errors = new ArrayList<>();
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            checkKey(label.getKey(), path + ".matchLabels", errors);
            checkValue(label.getValue().asText(), path + ".matchLabels", errors);
        }
        int i = 0;
        for (JsonNode expression : selector.path("matchExpressions")) {
            String at = path + ".matchExpressions[" + i++ + "]";
            String operator = expression.path("operator").asText("");
            int values = expression.path("values").size();
            switch (operator) {
                case "In", "NotIn" -> {
                    if (values == 0) {
                        errors.add(FieldError.required(at + ".values",
                                "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (values > 0) {
                        errors.add(FieldError.forbidden(at + ".values",
                                "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errors.add(FieldError.invalid(at + ".operator", operator, "not a valid selector operator"));
            }
            checkKey(expression.path("key").asText(""), at + ".key", errors);
            int v = 0;
            for (JsonNode value : expression.path("values")) {
                checkValue(value.asText(), at + ".values[" + v++ + "]", errors);
            }
        }
        return errors;
    }

    private static void checkKey(String key, String path, List<FieldError> errors) {
        if (!Labels.isValidKey(key)) {
            errors.add(FieldError.invalid(path, key, "name part must consist of alphanumeric characters, '-', '_' "
                    + "or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or "
                    + "'my.name',  or '123-abc', regex used for validation is "
                    + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"));
        }
    }

    private static void checkValue(String value, String path, List<FieldError> errors) {
        if (!Labels.isValidValue(value)) {
            errors.add(FieldError.invalid(path, value, "a valid label must be an empty string or consist of "
                    + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                    + "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                    + "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"));
        }
    }
}
