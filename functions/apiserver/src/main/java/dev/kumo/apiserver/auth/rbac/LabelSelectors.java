package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.Labels;
import dev.kumo.apiserver.errors.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Validation of a {@code metav1.LabelSelector} object ({@code matchLabels}, {@code matchExpressions}) with field
 * errors; {@link LabelSelector#fromJson} reads one.
 */
public final class LabelSelectors {
    private LabelSelectors() {
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
