package dev.kumo.controllers.scheduler.helper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.LabelSelector.Operator;
import dev.kumo.apimachinery.selection.LabelSelector.Requirement;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code metav1.LabelSelectorAsSelector} for selectors held as JSON: an absent selector selects nothing, an empty one
 * everything.
 */
public final class LabelSelectors {
    /**
     * Selects nothing ({@code labels.Nothing()}): one requirement on the empty key, which no label has, with no
     * allowed value. Not {@link LabelSelector#isEverything()}, like Go's nothing selector is not {@code Empty()}.
     */
    public static final LabelSelector NOTHING =
            new LabelSelector(List.of(new Requirement("", Operator.IN, Set.of())));

    private LabelSelectors() {
    }

    public static LabelSelector fromJson(JsonNode selector) throws InvalidSelectorException {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return NOTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            requirements.add(new Requirement(label.getKey(), Operator.EQUALS, Set.of(label.getValue().asText())));
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            requirements.add(requirement(expression));
        }
        return new LabelSelector(requirements);
    }

    private static Requirement requirement(JsonNode expression) throws InvalidSelectorException {
        String key = expression.path("key").asText("");
        Set<String> values = new TreeSet<>();
        expression.path("values").forEach(value -> values.add(value.asText()));
        String operator = expression.path("operator").asText("");
        Operator parsed = switch (operator) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            default -> throw new InvalidSelectorException("\"" + operator + "\" is not a valid label selector operator");
        };
        if ((parsed == Operator.IN || parsed == Operator.NOT_IN) && values.isEmpty()) {
            throw new InvalidSelectorException("values: Invalid value: []: for 'in', 'notin' operators, "
                    + "values set can't be empty");
        }
        if ((parsed == Operator.EXISTS || parsed == Operator.DOES_NOT_EXIST) && !values.isEmpty()) {
            throw new InvalidSelectorException("values: Invalid value: " + values
                    + ": values set must be empty for exists and does not exist");
        }
        return new Requirement(key, parsed, values);
    }

    /** The selector with {@code key=value} added for each label ({@code mergeLabelSetWithSelector}). */
    public static LabelSelector withLabels(LabelSelector selector, Map<String, String> labels) {
        List<Requirement> requirements = new ArrayList<>(selector.requirements());
        labels.forEach((key, value) -> requirements.add(new Requirement(key, Operator.EQUALS, Set.of(value))));
        return new LabelSelector(requirements);
    }

    /** The selector {@code labels.Set.AsSelector()} makes of a map: every pair must hold. */
    public static LabelSelector ofSet(Map<String, String> labels) {
        return withLabels(LabelSelector.EVERYTHING, labels);
    }
}
