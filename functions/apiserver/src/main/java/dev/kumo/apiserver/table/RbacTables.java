package dev.kumo.apiserver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;

import static dev.kumo.apiserver.table.TableColumn.of;
import static dev.kumo.apiserver.table.TableColumn.wide;

/** The columns of Kubernetes' printers for RBAC's kinds; Roles and ClusterRoles have none of their own. */
public final class RbacTables {
    private RbacTables() {
    }

    public static TableConvertor roles() {
        return TableConvertor.nameAndCreatedAt();
    }

    public static TableConvertor roleBindings() {
        return bindings("roleBinding", "RoleRef can reference a Role in the current namespace or a ClusterRole in "
                + "the global namespace. If the RoleRef cannot be resolved, the Authorizer must return an error.");
    }

    public static TableConvertor clusterRoleBindings() {
        return bindings("clusterRoleBinding", "RoleRef can only reference a ClusterRole in the global namespace. "
                + "If the RoleRef cannot be resolved, the Authorizer must return an error.");
    }

    private static TableConvertor bindings(String kind, String roleRefDescription) {
        return new TableConvertor(List.of(
                of("Role", roleRefDescription, o -> o.path("roleRef").path("kind").asText("") + "/"
                        + o.path("roleRef").path("name").asText("")),
                TableColumn.AGE,
                wide("Users", "Users in the " + kind, o -> subjects(o, "User")),
                wide("Groups", "Groups in the " + kind, o -> subjects(o, "Group")),
                wide("ServiceAccounts", "ServiceAccounts in the " + kind, o -> subjects(o, "ServiceAccount"))));
    }

    /** {@code rbac.SubjectsStrings}: names of one kind, service accounts as namespace/name, comma-separated. */
    private static String subjects(ObjectNode binding, String kind) {
        List<String> names = new ArrayList<>();
        for (JsonNode subject : binding.path("subjects")) {
            if (subject.path("kind").asText("").equals(kind)) {
                names.add(kind.equals("ServiceAccount")
                        ? subject.path("namespace").asText("") + "/" + subject.path("name").asText("")
                        : subject.path("name").asText(""));
            }
        }
        return String.join(", ", names);
    }
}
