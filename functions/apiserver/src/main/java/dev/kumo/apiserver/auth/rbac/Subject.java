package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apiserver.auth.UserInfo;

/** Who a binding grants its role to ({@code rbacv1.Subject}): a User, a Group or a ServiceAccount. */
public record Subject(String kind, String apiGroup, String name, String namespace) {
    public static final String USER = "User";
    public static final String GROUP = "Group";
    public static final String SERVICE_ACCOUNT = "ServiceAccount";

    public static Subject fromJson(JsonNode subject) {
        return new Subject(subject.path("kind").asText(""), subject.path("apiGroup").asText(""),
                subject.path("name").asText(""), subject.path("namespace").asText(""));
    }

    /**
     * Whether the subject names the user ({@code appliesToUser}): a User by name, a Group among the user's groups,
     * a ServiceAccount by its user name {@code system:serviceaccount:<namespace>:<name>}, its namespace defaulting
     * to the binding's.
     */
    public boolean appliesTo(UserInfo user, String bindingNamespace) {
        return switch (kind) {
            case USER -> user.name().equals(name);
            case GROUP -> user.inGroup(name);
            case SERVICE_ACCOUNT -> {
                String saNamespace = namespace.isEmpty() ? bindingNamespace : namespace;
                yield !saNamespace.isEmpty()
                        && user.name().equals(UserInfo.SERVICE_ACCOUNT_PREFIX + saNamespace + ":" + name);
            }
            default -> false;
        };
    }

    /** As reason strings name it ({@code describeSubject}): {@code User "jane"}, {@code ServiceAccount "sa/ns"}. */
    public String describe(String bindingNamespace) {
        if (kind.equals(SERVICE_ACCOUNT)) {
            return kind + " " + PolicyRule.goQuoted(name + "/" + (namespace.isEmpty() ? bindingNamespace : namespace));
        }
        return kind + " " + PolicyRule.goQuoted(name);
    }
}
