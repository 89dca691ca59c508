package dev.kumo.controllers.scheduler.helper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.apimachinery.selection.LabelSelector.Operator;
import dev.kumo.apimachinery.selection.LabelSelector.Requirement;
import dev.kumo.apimachinery.selection.SelectorException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code metav1.LabelSelectorAsSelector} for selectors held as JSON: an absent selector selects nothing, an empty one
 * everything.
 */
public final class LabelSelectors {
    private LabelSelectors() {
    }

    /** {@link LabelSelector#fromJson}, with a bad selector as the checked exception the plugins handle. */
    public static LabelSelector fromJson(JsonNode selector) throws InvalidSelectorException {
        try {
            return LabelSelector.fromJson(selector);
        } catch (SelectorException e) {
            throw new InvalidSelectorException(e.getMessage());
        }
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
