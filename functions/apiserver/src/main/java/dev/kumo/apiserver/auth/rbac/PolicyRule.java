package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One rule of a Role or ClusterRole ({@code rbacv1.PolicyRule}): verbs on resources of API groups, optionally only
 * on some names, or verbs on non-resource URLs.
 */
public record PolicyRule(List<String> verbs, List<String> apiGroups, List<String> resources,
                         List<String> resourceNames, List<String> nonResourceURLs) {
    public static final String ALL = "*";

    public PolicyRule {
        verbs = List.copyOf(verbs);
        apiGroups = List.copyOf(apiGroups);
        resources = List.copyOf(resources);
        resourceNames = List.copyOf(resourceNames);
        nonResourceURLs = List.copyOf(nonResourceURLs);
    }

    /** A rule on resources: {@code resources(verbs, groups, resources)}. */
    public static PolicyRule resources(List<String> verbs, List<String> apiGroups, List<String> resources) {
        return new PolicyRule(verbs, apiGroups, resources, List.of(), List.of());
    }

    public static PolicyRule urls(List<String> verbs, List<String> nonResourceURLs) {
        return new PolicyRule(verbs, List.of(), List.of(), List.of(), nonResourceURLs);
    }

    public PolicyRule withNames(List<String> names) {
        return new PolicyRule(verbs, apiGroups, resources, names, nonResourceURLs);
    }

    /** Reads a rule as the API serves it; absent or null lists are empty. */
    public static PolicyRule fromJson(JsonNode rule) {
        return new PolicyRule(strings(rule.path("verbs")), strings(rule.path("apiGroups")),
                strings(rule.path("resources")), strings(rule.path("resourceNames")),
                strings(rule.path("nonResourceURLs")));
    }

    public static List<PolicyRule> listFromJson(JsonNode rules) {
        List<PolicyRule> parsed = new ArrayList<>();
        rules.forEach(rule -> parsed.add(fromJson(rule)));
        return parsed;
    }

    /** The rule as JSON, with the fields in Kubernetes' order and empty lists left out. */
    public ObjectNode toJson() {
        ObjectNode rule = JsonNodeFactory.instance.objectNode();
        put(rule, "verbs", verbs);
        put(rule, "apiGroups", apiGroups);
        put(rule, "resources", resources);
        put(rule, "resourceNames", resourceNames);
        put(rule, "nonResourceURLs", nonResourceURLs);
        return rule;
    }

    /**
     * The compact form escalation errors print ({@code rbacv1helpers.CompactString}), e.g.
     * {@code {APIGroups:[""], Resources:["pods"], Verbs:["create"]}}.
     */
    public String compactString() {
        List<String> parts = new ArrayList<>();
        addPart(parts, "APIGroups", apiGroups);
        addPart(parts, "Resources", resources);
        addPart(parts, "NonResourceURLs", nonResourceURLs);
        addPart(parts, "ResourceNames", resourceNames);
        addPart(parts, "Verbs", verbs);
        return "{" + String.join(", ", parts) + "}";
    }

    private static void addPart(List<String> parts, String name, List<String> values) {
        if (!values.isEmpty()) {
            parts.add(name + ":" + goQuoted(values));
        }
    }

    /** Go's {@code %q} of a {@code []string}: {@code ["a" "b"]}. */
    static String goQuoted(List<String> values) {
        return values.stream().map(PolicyRule::goQuoted).collect(Collectors.joining(" ", "[", "]"));
    }

    static String goQuoted(String value) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\t' -> quoted.append("\\t");
                default -> quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }

    private static void put(ObjectNode rule, String field, List<String> values) {
        if (!values.isEmpty()) {
            values.forEach(rule.putArray(field)::add);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        if (array.isArray()) {
            array.forEach(value -> values.add(value.asText()));
        }
        return values;
    }
}
