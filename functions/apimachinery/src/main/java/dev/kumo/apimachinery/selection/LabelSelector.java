package dev.kumo.apimachinery.selection;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A parsed label selector in Kubernetes' string syntax: {@code a=b}, {@code a==b}, {@code a!=b},
 * {@code a in (x,y)}, {@code a notin (x)}, {@code a}, {@code !a}, joined by commas (all must hold).
 */
public record LabelSelector(List<Requirement> requirements) {

    public static final LabelSelector EVERYTHING = new LabelSelector(List.of());
    /**
     * Selects nothing ({@code labels.Nothing()}): one requirement on the empty key, which no label has, with no
     * allowed value. Not {@link #isEverything()}, as Go's nothing selector is not {@code Empty()}.
     */
    public static final LabelSelector NOTHING = new LabelSelector(List.of(new Requirement("", Operator.IN, Set.of())));

    public enum Operator { EQUALS, NOT_EQUALS, IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

    public record Requirement(String key, Operator operator, Set<String> values) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (operator) {
                case EQUALS, IN -> value != null && values.contains(value);
                case NOT_EQUALS, NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
            };
        }
    }

    public LabelSelector {
        requirements = List.copyOf(requirements);
    }

    public boolean isEverything() {
        return requirements.isEmpty();
    }

    public boolean matches(Map<String, String> labels) {
        return requirements.stream().allMatch(r -> r.matches(labels));
    }

    /** Matches an object's {@code metadata.labels}. */
    public boolean matches(JsonNode object) {
        return matches(Labels.of(object));
    }

    /**
     * A {@code metav1.LabelSelector} object ({@code matchLabels}, {@code matchExpressions}) as
     * {@code LabelSelectorAsSelector} reads it: an absent selector selects nothing, an empty one everything.
     * Throws {@link SelectorException} with Kubernetes' message for an unknown operator or values that do not fit it.
     */
    public static LabelSelector fromJson(JsonNode selector) {
        if (selector == null || selector.isMissingNode() || selector.isNull()) {
            return NOTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (Map.Entry<String, JsonNode> label : selector.path("matchLabels").properties()) {
            requirements.add(new Requirement(label.getKey(), Operator.EQUALS, Set.of(label.getValue().asText())));
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            requirements.add(expressionRequirement(expression));
        }
        return new LabelSelector(requirements);
    }

    private static Requirement expressionRequirement(JsonNode expression) {
        String key = expression.path("key").asText("");
        Set<String> values = new java.util.TreeSet<>();
        expression.path("values").forEach(value -> values.add(value.asText()));
        String operator = expression.path("operator").asText("");
        Operator parsed = switch (operator) {
            case "In" -> Operator.IN;
            case "NotIn" -> Operator.NOT_IN;
            case "Exists" -> Operator.EXISTS;
            case "DoesNotExist" -> Operator.DOES_NOT_EXIST;
            default -> throw new SelectorException("\"" + operator + "\" is not a valid label selector operator");
        };
        if ((parsed == Operator.IN || parsed == Operator.NOT_IN) && values.isEmpty()) {
            throw new SelectorException("values: Invalid value: []: for 'in', 'notin' operators, "
                    + "values set can't be empty");
        }
        if ((parsed == Operator.EXISTS || parsed == Operator.DOES_NOT_EXIST) && !values.isEmpty()) {
            throw new SelectorException("values: Invalid value: " + values
                    + ": values set must be empty for exists and does not exist");
        }
        return new Requirement(key, parsed, values);
    }

    /** Parses the selector; throws {@link SelectorException} naming the problem. */
    public static LabelSelector parse(String selector) {
        if (selector == null || selector.isBlank()) {
            return EVERYTHING;
        }
        List<Requirement> requirements = new ArrayList<>();
        for (String term : splitTerms(selector)) {
            requirements.add(parseTerm(term.trim(), selector));
        }
        return new LabelSelector(requirements);
    }

    /** Splits on commas that are not inside parentheses. */
    private static List<String> splitTerms(String selector) {
        List<String> terms = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < selector.length(); i++) {
            char c = selector.charAt(i);
            if (c == '(') {
                depth++;
            } else if (c == ')') {
                depth--;
            } else if (c == ',' && depth == 0) {
                terms.add(selector.substring(start, i));
                start = i + 1;
            }
        }
        terms.add(selector.substring(start));
        return terms;
    }

    private static Requirement parseTerm(String term, String selector) {
        if (term.isEmpty()) {
            throw new SelectorException("empty requirement in label selector \"" + selector + "\"");
        }
        if (term.startsWith("!")) {
            return new Requirement(validKey(term.substring(1).trim(), selector), Operator.DOES_NOT_EXIST, Set.of());
        }
        String[] setForm = term.split("\\s+(?=(in|notin)\\s*\\()", 2);
        if (setForm.length == 2) {
            String rest = setForm[1].trim();
            Operator operator = rest.startsWith("notin") ? Operator.NOT_IN : Operator.IN;
            int open = rest.indexOf('(');
            int close = rest.lastIndexOf(')');
            if (open < 0 || close != rest.length() - 1) {
                throw new SelectorException("unterminated value set in label selector \"" + selector + "\"");
            }
            Set<String> values = new TreeSet<>();
            for (String value : rest.substring(open + 1, close).split(",")) {
                values.add(validValue(value.trim(), selector));
            }
            return new Requirement(validKey(setForm[0].trim(), selector), operator, values);
        }
        for (String op : new String[]{"!=", "==", "="}) {
            int at = term.indexOf(op);
            if (at >= 0) {
                Operator operator = op.equals("!=") ? Operator.NOT_EQUALS : Operator.EQUALS;
                return new Requirement(validKey(term.substring(0, at).trim(), selector), operator,
                        Set.of(validValue(term.substring(at + op.length()).trim(), selector)));
            }
        }
        return new Requirement(validKey(term, selector), Operator.EXISTS, Set.of());
    }

    private static String validKey(String key, String selector) {
        if (!Labels.isValidKey(key)) {
            throw new SelectorException("invalid label key \"" + key + "\" in label selector \"" + selector + "\"");
        }
        return key;
    }

    private static String validValue(String value, String selector) {
        if (!Labels.isValidValue(value)) {
            throw new SelectorException("invalid label value \"" + value + "\" in label selector \"" + selector
                    + "\": must be 63 characters or less, alphanumeric, '-', '_' or '.', starting and ending"
                    + " with an alphanumeric character");
        }
        return value;
    }
}
