package dev.kumo.apiserver.strategy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.rbac.LabelSelectors;
import dev.kumo.apiserver.auth.rbac.RbacResources;
import dev.kumo.apiserver.errors.FieldError;
import dev.kumo.apiserver.registry.Names;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Roles, ClusterRoles and their bindings, after Kubernetes' RBAC validation: names are URL path segments (so
 * {@code system:node} is valid), rules need verbs and either resources with groups or non-resource URLs (only in
 * ClusterRoles), a binding's roleRef is defaulted to the RBAC group, checked and immutable, and each subject is a
 * User, Group (both in the RBAC group) or ServiceAccount (in the core group, with a namespace when bound
 * cluster-wide).
 */
public final class RbacStrategies {
    private RbacStrategies() {
    }

    public static Strategy roles() {
        return new RbacStrategy() {
            @Override
            public List<FieldError> validate(ObjectNode role) {
                return validateRules(role.path("rules"), true);
            }
        };
    }

    public static Strategy clusterRoles() {
        return new RbacStrategy() {
            @Override
            public List<FieldError> validate(ObjectNode role) {
                List<FieldError> errors = new ArrayList<>(validateRules(role.path("rules"), false));
                JsonNode aggregation = role.path("aggregationRule");
                if (aggregation.isObject()) {
                    JsonNode selectors = aggregation.path("clusterRoleSelectors");
                    if (selectors.isEmpty()) {
                        errors.add(FieldError.required("aggregationRule.clusterRoleSelectors",
                                "at least one clusterRoleSelector required if aggregationRule is non-nil"));
                    }
                    for (int i = 0; i < selectors.size(); i++) {
                        errors.addAll(LabelSelectors.validate(selectors.get(i),
                                "aggregationRule.clusterRoleSelectors[" + i + "]"));
                    }
                }
                return errors;
            }
        };
    }

    public static Strategy roleBindings() {
        return new BindingStrategy(true);
    }

    public static Strategy clusterRoleBindings() {
        return new BindingStrategy(false);
    }

    /** What every RBAC kind shares: names that only need to be path segments. */
    private abstract static class RbacStrategy implements Strategy {
        @Override
        public boolean namesArePathSegments() {
            return true;
        }
    }

    private static final class BindingStrategy extends RbacStrategy {
        private final boolean namespaced;

        BindingStrategy(boolean namespaced) {
            this.namespaced = namespaced;
        }

        @Override
        public void prepareForCreate(ObjectNode binding) {
            defaults(binding);
        }

        @Override
        public void prepareForUpdate(ObjectNode binding, ObjectNode old) {
            defaults(binding);
        }

        /** rbac/v1 defaulting: roleRef and User/Group subjects default to the RBAC group. */
        private static void defaults(ObjectNode binding) {
            Json.defaultText(Json.object(binding, "roleRef"), "apiGroup", RbacResources.GROUP);
            for (ObjectNode subject : Json.objects(binding, "subjects")) {
                String kind = subject.path("kind").asText("");
                if (subject.path("apiGroup").asText("").isEmpty() && (kind.equals("User") || kind.equals("Group"))) {
                    subject.put("apiGroup", RbacResources.GROUP);
                }
            }
        }

        @Override
        public List<FieldError> validate(ObjectNode binding) {
            List<FieldError> errors = new ArrayList<>();
            JsonNode roleRef = binding.path("roleRef");
            String apiGroup = roleRef.path("apiGroup").asText("");
            if (!apiGroup.equals(RbacResources.GROUP)) {
                errors.add(FieldError.notSupported("roleRef.apiGroup", apiGroup,
                        "supported values: \"" + RbacResources.GROUP + "\""));
            }
            String kind = roleRef.path("kind").asText("");
            if (namespaced ? !kind.equals("Role") && !kind.equals("ClusterRole") : !kind.equals("ClusterRole")) {
                errors.add(FieldError.notSupported("roleRef.kind", kind, namespaced
                        ? "supported values: \"Role\", \"ClusterRole\"" : "supported values: \"ClusterRole\""));
            }
            String name = roleRef.path("name").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required("roleRef.name", ""));
            } else {
                errors.addAll(Names.validatePathSegment("roleRef.name", name));
            }
            JsonNode subjects = binding.path("subjects");
            for (int i = 0; i < subjects.size(); i++) {
                errors.addAll(validateSubject(subjects.get(i), "subjects[" + i + "]"));
            }
            return errors;
        }

        @Override
        public List<FieldError> validateUpdate(ObjectNode binding, ObjectNode old) {
            List<FieldError> errors = new ArrayList<>(validate(binding));
            if (!binding.path("roleRef").equals(old.path("roleRef"))) {
                JsonNode roleRef = binding.path("roleRef");
                errors.add(new FieldError(FieldError.Type.INVALID, "roleRef", null,
                        "rbac.RoleRef{APIGroup:" + quoted(roleRef.path("apiGroup").asText(""))
                                + ", Kind:" + quoted(roleRef.path("kind").asText(""))
                                + ", Name:" + quoted(roleRef.path("name").asText("")) + "}: cannot change roleRef"));
            }
            return errors;
        }

        private List<FieldError> validateSubject(JsonNode subject, String path) {
            List<FieldError> errors = new ArrayList<>();
            String name = subject.path("name").asText("");
            String apiGroup = subject.path("apiGroup").asText("");
            if (name.isEmpty()) {
                errors.add(FieldError.required(path + ".name", ""));
            }
            switch (subject.path("kind").asText("")) {
                case "ServiceAccount" -> {
                    if (!name.isEmpty()) {
                        errors.addAll(Names.validateSubdomain(path + ".name", name));
                    }
                    if (!apiGroup.isEmpty()) {
                        errors.add(FieldError.notSupported(path + ".apiGroup", apiGroup, "supported values: \"\""));
                    }
                    if (!namespaced && subject.path("namespace").asText("").isEmpty()) {
                        errors.add(FieldError.required(path + ".namespace", ""));
                    }
                }
                case "User", "Group" -> {
                    if (!apiGroup.equals(RbacResources.GROUP)) {
                        errors.add(FieldError.notSupported(path + ".apiGroup", apiGroup,
                                "supported values: \"" + RbacResources.GROUP + "\""));
                    }
                }
                default -> errors.add(FieldError.notSupported(path + ".kind", subject.path("kind").asText(""),
                        "supported values: \"ServiceAccount\", \"User\", \"Group\""));
            }
            return errors;
        }
    }

    /** {@code ValidatePolicyRule} for each rule; namespaced (Role) rules may not name non-resource URLs. */
    static List<FieldError> validateRules(JsonNode rules, boolean namespaced) {
        List<FieldError> errors = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            JsonNode rule = rules.get(i);
            String path = "rules[" + i + "]";
            if (rule.path("verbs").isEmpty()) {
                errors.add(FieldError.required(path + ".verbs", "verbs must contain at least one value"));
            }
            JsonNode urls = rule.path("nonResourceURLs");
            if (!urls.isEmpty()) {
                if (namespaced) {
                    errors.add(new FieldError(FieldError.Type.INVALID, path + ".nonResourceURLs", null,
                            goStrings(urls) + ": namespaced rules cannot apply to non-resource URLs"));
                }
                if (!rule.path("apiGroups").isEmpty() || !rule.path("resources").isEmpty()
                        || !rule.path("resourceNames").isEmpty()) {
                    errors.add(new FieldError(FieldError.Type.INVALID, path + ".nonResourceURLs", null,
                            goStrings(urls) + ": rules cannot apply to both regular resources and non-resource "
                                    + "URLs"));
                }
                continue;
            }
            if (rule.path("apiGroups").isEmpty()) {
                errors.add(FieldError.required(path + ".apiGroups",
                        "resource rules must supply at least one api group"));
            }
            if (rule.path("resources").isEmpty()) {
                errors.add(FieldError.required(path + ".resources",
                        "resource rules must supply at least one resource"));
            }
        }
        return errors;
    }

    /** Go's {@code %#v} of a {@code []string}, as Kubernetes prints such an invalid value. */
    private static String goStrings(JsonNode values) {
        List<String> quoted = new ArrayList<>();
        values.forEach(value -> quoted.add(quoted(value.asText())));
        return quoted.stream().collect(Collectors.joining(", ", "[]string{", "}"));
    }

    private static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
