package dev.kumo.controllers.scheduler.helper;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.selection.Labels;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One {@code NodeSelectorTerm} of node affinity, parsed as component-helpers' {@code nodeaffinity} parses it: its
 * {@code matchExpressions} (on labels, with In, NotIn, Exists, DoesNotExist, Gt, Lt) and {@code matchFields} (on
 * {@code metadata.name}, In and NotIn with one value) must all hold. A term with a parse error matches nothing.
 */
public final class NodeSelectorTerm {
    /** The only node field a term can select on. */
    public static final String NAME_FIELD = "metadata.name";

    private enum Op { IN, NOT_IN, EXISTS, DOES_NOT_EXIST, GT, LT }

    private record LabelRequirement(String key, Op op, Set<String> values, long number) {
        boolean matches(Map<String, String> labels) {
            String value = labels.get(key);
            return switch (op) {
                case IN -> value != null && values.contains(value);
                case NOT_IN -> value == null || !values.contains(value);
                case EXISTS -> value != null;
                case DOES_NOT_EXIST -> value == null;
                case GT, LT -> value != null && compares(value);
            };
        }

        private boolean compares(String value) {
            long label;
            try {
                label = Long.parseLong(value);
            } catch (NumberFormatException e) {
                return false;
            }
            return op == Op.GT ? label > number : label < number;
        }
    }

    /** {@code key} equals (or, negated, differs from) {@code value}; a missing field reads as "". */
    private record FieldRequirement(String key, String value, boolean negated) {
        boolean matches(String nodeName) {
            String field = NAME_FIELD.equals(key) ? nodeName : "";
            return field.equals(value) != negated;
        }
    }

    private final List<LabelRequirement> expressions;
    private final List<FieldRequirement> fields;
    private final boolean hasExpressions;
    private final boolean hasFields;
    private final List<String> errors;

    private NodeSelectorTerm(JsonNode term, String path) {
        List<String> problems = new ArrayList<>();
        this.expressions = parseExpressions(term.path("matchExpressions"), path + ".matchExpressions", problems);
        this.fields = parseFields(term.path("matchFields"), path + ".matchFields", problems);
        this.hasExpressions = !term.path("matchExpressions").isEmpty();
        this.hasFields = !term.path("matchFields").isEmpty();
        this.errors = List.copyOf(problems);
    }

    public static NodeSelectorTerm parse(JsonNode term, String path) {
        return new NodeSelectorTerm(term, path);
    }

    /** A term with neither expressions nor fields selects nothing and is left out of the terms. */
    public static boolean isEmpty(JsonNode term) {
        return term.path("matchExpressions").isEmpty() && term.path("matchFields").isEmpty();
    }

    public List<String> errors() {
        return errors;
    }

    /** {@code metadata.name In [x]} values of this term, intersected (null when it has none). */
    public static Set<String> nodeNames(JsonNode term) {
        Set<String> names = null;
        for (JsonNode field : term.path("matchFields")) {
            if (NAME_FIELD.equals(field.path("key").asText()) && "In".equals(field.path("operator").asText())) {
                Set<String> values = new TreeSet<>();
                field.path("values").forEach(v -> values.add(v.asText()));
                if (names == null) {
                    names = values;
                } else {
                    names.retainAll(values);
                }
            }
        }
        return names;
    }

    public boolean matches(String nodeName, Map<String, String> nodeLabels) {
        if (!errors.isEmpty()) {
            return false;
        }
        if (hasExpressions && !expressions.stream().allMatch(r -> r.matches(nodeLabels))) {
            return false;
        }
        return !hasFields || fields.stream().allMatch(r -> r.matches(nodeName));
    }

    private static List<LabelRequirement> parseExpressions(JsonNode expressions, String path, List<String> errors) {
        List<LabelRequirement> requirements = new ArrayList<>();
        int i = 0;
        for (JsonNode expression : expressions) {
            String at = path + "[" + i++ + "]";
            String key = expression.path("key").asText("");
            String operator = expression.path("operator").asText("");
            Set<String> values = new TreeSet<>();
            expression.path("values").forEach(v -> values.add(v.asText()));
            Op op = switch (operator) {
                case "In" -> Op.IN;
                case "NotIn" -> Op.NOT_IN;
                case "Exists" -> Op.EXISTS;
                case "DoesNotExist" -> Op.DOES_NOT_EXIST;
                case "Gt" -> Op.GT;
                case "Lt" -> Op.LT;
                default -> null;
            };
            if (op == null) {
                errors.add(at + ".operator: Unsupported value: \"" + operator + "\"");
                continue;
            }
            String problem = check(key, op, values);
            if (problem != null) {
                errors.add(at + ": " + problem);
                continue;
            }
            long number = op == Op.GT || op == Op.LT ? Long.parseLong(values.iterator().next()) : 0;
            requirements.add(new LabelRequirement(key, op, values, number));
        }
        return List.copyOf(requirements);
    }

    /** {@code labels.NewRequirement}'s checks. */
    private static String check(String key, Op op, Set<String> values) {
        if (!Labels.isValidKey(key)) {
            return "Invalid value: \"" + key + "\": invalid label key";
        }
        switch (op) {
            case IN, NOT_IN -> {
                if (values.isEmpty()) {
                    return "Invalid value: []: for 'in', 'notin' operators, values set can't be empty";
                }
            }
            case EXISTS, DOES_NOT_EXIST -> {
                if (!values.isEmpty()) {
                    return "Invalid value: " + values + ": values set must be empty for exists and does not exist";
                }
            }
            case GT, LT -> {
                if (values.size() != 1) {
                    return "Invalid value: " + values + ": for 'Gt', 'Lt' operators, exactly one value is required";
                }
                try {
                    Long.parseLong(values.iterator().next());
                } catch (NumberFormatException e) {
                    return "Invalid value: " + values + ": for 'Gt', 'Lt' operators, the value must be an integer";
                }
            }
        }
        for (String value : values) {
            if (!Labels.isValidValue(value)) {
                return "Invalid value: \"" + value + "\": invalid label value";
            }
        }
        return null;
    }

    private static List<FieldRequirement> parseFields(JsonNode fields, String path, List<String> errors) {
        List<FieldRequirement> requirements = new ArrayList<>();
        int i = 0;
        for (JsonNode field : fields) {
            String at = path + "[" + i++ + "]";
            String operator = field.path("operator").asText("");
            JsonNode values = field.path("values");
            if (!operator.equals("In") && !operator.equals("NotIn")) {
                errors.add(at + ".operator: Unsupported value: \"" + operator
                        + "\": supported values: \"In\", \"NotIn\"");
            } else if (values.size() != 1) {
                errors.add(at + ".values: Invalid value: " + values + ": must have one element");
            } else {
                requirements.add(new FieldRequirement(field.path("key").asText(""), values.get(0).asText(),
                        operator.equals("NotIn")));
            }
        }
        return List.copyOf(requirements);
    }
}
