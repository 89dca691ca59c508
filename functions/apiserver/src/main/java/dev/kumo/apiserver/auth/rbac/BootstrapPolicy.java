package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.auth.UserInfo;

import java.util.List;
import java.util.Map;

/**
 * The default ClusterRoles and ClusterRoleBindings every cluster has, after Kubernetes 1.32's bootstrap policy
 * ({@code plugin/pkg/auth/authorizer/rbac/bootstrappolicy}), with each rule cut down to the resources kumo serves
 * (including those being added alongside: resourcequotas, limitranges, serviceaccounts/token). Since the reconciler
 * adds missing rules to objects marked for auto-update, rules for resources kumo serves later can be added here
 * and reach existing clusters.
 *
 * <p>kumo's own roles: {@code system:node-bootstrapper} grants the node credential exchange ({@code nodes/token})
 * instead of certificate signing requests; {@code system:kube-controller-manager} is the union of the roles
 * Kubernetes gives each controller kumo runs (deployment, replicaset, endpoint, endpointslice, service account,
 * namespace, resource quota, garbage collectors, node lifecycle), because kumo's control loops share one
 * identity where kube-controller-manager gives each its own service account; {@code system:kumo:cloud-controller}
 * is the cloud controller's (nodes, load balancer status, events).
 */
public final class BootstrapPolicy {
    public static final String AUTO_UPDATE = "rbac.authorization.kubernetes.io/autoupdate";
    public static final String BOOTSTRAPPING = "kubernetes.io/bootstrapping";
    public static final String RBAC_DEFAULTS = "rbac-defaults";
    public static final String AGGREGATE_TO_ADMIN = "rbac.authorization.k8s.io/aggregate-to-admin";
    public static final String AGGREGATE_TO_EDIT = "rbac.authorization.k8s.io/aggregate-to-edit";
    public static final String AGGREGATE_TO_VIEW = "rbac.authorization.k8s.io/aggregate-to-view";

    private static final List<String> READ = List.of("get", "list", "watch");
    private static final List<String> READ_WRITE = List.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");
    private static final List<String> WRITE = List.of("create", "delete", "deletecollection", "patch", "update");
    private static final List<String> EVENT_WRITE = List.of("create", "patch", "update");
    private static final String CORE = "";
    private static final String APPS = "apps";
    private static final String KUMO = "kumo.dev";
    private static final String COORDINATION = "coordination.k8s.io";
    private static final String DISCOVERY = "discovery.k8s.io";
    private static final String EVENTS = "events.k8s.io";
    private static final String AUTHORIZATION = "authorization.k8s.io";
    private static final String AUTHENTICATION = "authentication.k8s.io";

    private final ObjectMapper mapper;

    public BootstrapPolicy(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<ObjectNode> clusterRoles() {
        return List.of(
                clusterRole("cluster-admin", Map.of(),
                        rule(List.of("*"), List.of("*"), "*"),
                        PolicyRule.urls(List.of("*"), List.of("*"))),
                aggregated("admin", Map.of(), AGGREGATE_TO_ADMIN),
                aggregated("edit", Map.of(AGGREGATE_TO_ADMIN, "true"), AGGREGATE_TO_EDIT),
                aggregated("view", Map.of(AGGREGATE_TO_EDIT, "true"), AGGREGATE_TO_VIEW),
                clusterRole("system:aggregate-to-admin", Map.of(AGGREGATE_TO_ADMIN, "true"),
                        rule(List.of("create"), List.of(AUTHORIZATION), "localsubjectaccessreviews"),
                        rule(READ_WRITE, List.of(RbacResources.GROUP), "rolebindings", "roles")),
                clusterRole("system:aggregate-to-edit", Map.of(AGGREGATE_TO_EDIT, "true"),
                        rule(READ, List.of(CORE), "pods/exec", "pods/portforward", "secrets"),
                        rule(List.of("impersonate"), List.of(CORE), "serviceaccounts"),
                        rule(WRITE, List.of(CORE), "pods", "pods/exec", "pods/portforward"),
                        rule(WRITE, List.of(CORE), "configmaps", "events", "secrets", "serviceaccounts",
                                "services"),
                        rule(List.of("create"), List.of(CORE), "serviceaccounts/token"),
                        rule(WRITE, List.of(APPS), "deployments", "deployments/scale", "replicasets",
                                "replicasets/scale"),
                        rule(READ_WRITE, List.of(COORDINATION), "leases")),
                clusterRole("system:aggregate-to-view", Map.of(AGGREGATE_TO_VIEW, "true"),
                        rule(READ, List.of(CORE), "configmaps", "endpoints", "pods", "serviceaccounts", "services",
                                "services/status"),
                        rule(READ, List.of(CORE), "events", "limitranges", "namespaces/status", "pods/log",
                                "pods/status", "resourcequotas", "resourcequotas/status"),
                        rule(READ, List.of(CORE), "namespaces"),
                        rule(READ, List.of(DISCOVERY), "endpointslices"),
                        rule(READ, List.of(APPS), "deployments", "deployments/scale", "deployments/status",
                                "replicasets", "replicasets/scale", "replicasets/status")),
                clusterRole("system:basic-user", Map.of(),
                        rule(List.of("create"), List.of(AUTHORIZATION), "selfsubjectaccessreviews",
                                "selfsubjectrulesreviews"),
                        rule(List.of("create"), List.of(AUTHENTICATION), "selfsubjectreviews")),
                clusterRole("system:discovery", Map.of(),
                        PolicyRule.urls(List.of("get"), List.of("/api", "/api/*", "/apis", "/apis/*", "/healthz",
                                "/livez", "/openapi", "/openapi/*", "/readyz", "/version", "/version/"))),
                clusterRole("system:public-info-viewer", Map.of(),
                        PolicyRule.urls(List.of("get"), List.of("/healthz", "/livez", "/readyz", "/version",
                                "/version/"))),
                clusterRole("system:node", Map.of(),
                        rule(List.of("create"), List.of(AUTHORIZATION), "localsubjectaccessreviews",
                                "subjectaccessreviews"),
                        rule(READ, List.of(CORE), "services"),
                        rule(List.of("create", "get", "list", "watch"), List.of(CORE), "nodes"),
                        rule(List.of("patch", "update"), List.of(CORE), "nodes/status"),
                        rule(List.of("patch", "update"), List.of(CORE), "nodes"),
                        rule(EVENT_WRITE, List.of(CORE), "events"),
                        rule(READ, List.of(CORE), "pods"),
                        rule(List.of("create", "delete"), List.of(CORE), "pods"),
                        rule(List.of("patch", "update"), List.of(CORE), "pods/status"),
                        rule(READ, List.of(CORE), "configmaps", "secrets"),
                        rule(List.of("get"), List.of(CORE), "endpoints"),
                        rule(List.of("create", "delete", "get", "patch", "update"), List.of(COORDINATION), "leases"),
                        rule(List.of("create"), List.of(CORE), "serviceaccounts/token")),
                clusterRole("system:service-account-issuer-discovery", Map.of(),
                        PolicyRule.urls(List.of("get"), List.of("/.well-known/openid-configuration",
                                "/.well-known/openid-configuration/", "/openid/v1/jwks", "/openid/v1/jwks/"))),
                clusterRole("system:node-bootstrapper", Map.of(),
                        rule(List.of("create"), List.of(CORE), "nodes/token")),
                clusterRole("system:kube-scheduler", Map.of(),
                        rule(EVENT_WRITE, List.of(CORE, EVENTS), "events"),
                        rule(List.of("create"), List.of(COORDINATION), "leases"),
                        // kube-scheduler's leader election lease, and kumo's lease of the one scheduler placing
                        // pods that depend on other pods' positions (docs/scheduler.md).
                        rule(List.of("get", "list", "update", "watch"), List.of(COORDINATION), "leases")
                                .withNames(List.of("kube-scheduler", "kube-scheduler-positions")),
                        rule(READ, List.of(CORE), "nodes"),
                        rule(List.of("delete", "get", "list", "watch"), List.of(CORE), "pods"),
                        rule(List.of("create"), List.of(CORE), "pods/binding"),
                        rule(List.of("patch", "update"), List.of(CORE), "pods/status"),
                        rule(READ, List.of(CORE), "services"),
                        rule(READ, List.of(APPS), "replicasets"),
                        rule(List.of("create"), List.of(AUTHORIZATION), "subjectaccessreviews"),
                        rule(READ, List.of(CORE), "namespaces")),
                clusterRole("system:kube-controller-manager", Map.of(),
                        rule(EVENT_WRITE, List.of(CORE, EVENTS), "events"),
                        rule(List.of("create"), List.of(COORDINATION), "leases"),
                        rule(List.of("get", "update"), List.of(COORDINATION), "leases")
                                .withNames(List.of("kube-controller-manager")),
                        // What the garbage collectors and the namespace controller do to every kind of object.
                        rule(List.of("delete", "deletecollection", "get", "list", "patch", "update", "watch"),
                                List.of("*"), "*"),
                        rule(List.of("create"), List.of(CORE), "configmaps", "endpoints", "pods", "secrets",
                                "serviceaccounts", "serviceaccounts/token"),
                        rule(List.of("create"), List.of(APPS), "replicasets"),
                        rule(List.of("create"), List.of(DISCOVERY), "endpointslices"),
                        rule(List.of("create"), List.of(AUTHORIZATION), "subjectaccessreviews")),
                clusterRole("system:kumo:cloud-controller", Map.of(),
                        rule(EVENT_WRITE, List.of(CORE, EVENTS), "events"),
                        rule(List.of("delete", "get", "list", "patch", "update", "watch"), List.of(CORE), "nodes"),
                        rule(List.of("patch", "update"), List.of(CORE), "nodes/status"),
                        rule(READ, List.of(CORE), "services"),
                        // The service controller's load-balancer-cleanup finalizer (cloud-controller-manager's role).
                        rule(List.of("patch", "update"), List.of(CORE), "services"),
                        rule(List.of("patch", "update"), List.of(CORE), "services/status"),
                        // The provisioner: pools and their status, the pods it waits for, drains and evicts.
                        rule(List.of("get", "list", "watch", "patch", "update"), List.of(KUMO), "nodepools"),
                        rule(List.of("patch", "update"), List.of(KUMO), "nodepools/status"),
                        rule(List.of("delete", "get", "list", "watch"), List.of(CORE), "pods"),
                        rule(List.of("patch", "update"), List.of(CORE), "pods/status"),
                        rule(List.of("create"), List.of(CORE), "pods/eviction")));
    }

    public List<ObjectNode> clusterRoleBindings() {
        return List.of(
                binding("cluster-admin", group(UserInfo.SYSTEM_PRIVILEGED_GROUP)),
                binding("system:basic-user", group(UserInfo.ALL_AUTHENTICATED)),
                binding("system:discovery", group(UserInfo.ALL_AUTHENTICATED)),
                binding("system:public-info-viewer", group(UserInfo.ALL_AUTHENTICATED),
                        group(UserInfo.ALL_UNAUTHENTICATED)),
                binding("system:node"),
                // Kubernetes binds it to service accounts; kumo's node agents also read the keys, to check the API
                // server's tokens on their kubelet endpoints (KubeletApi).
                binding("system:service-account-issuer-discovery", group(UserInfo.SERVICE_ACCOUNTS_GROUP),
                        group(UserInfo.NODES_GROUP)),
                binding("system:node-bootstrapper", group(UserInfo.BOOTSTRAPPERS_GROUP)),
                binding("system:kube-scheduler", user("system:kube-scheduler")),
                binding("system:kube-controller-manager", user("system:kube-controller-manager")),
                binding("system:kumo:cloud-controller", user("system:kumo:cloud-controller")));
    }

    private ObjectNode clusterRole(String name, Map<String, String> labels, PolicyRule... rules) {
        ObjectNode role = object("ClusterRole", name, labels);
        ArrayNode array = role.putArray("rules");
        for (PolicyRule rule : rules) {
            array.add(rule.toJson());
        }
        return role;
    }

    private ObjectNode aggregated(String name, Map<String, String> labels, String selectedLabel) {
        ObjectNode role = object("ClusterRole", name, labels);
        role.putObject("aggregationRule").putArray("clusterRoleSelectors").addObject()
                .putObject("matchLabels").put(selectedLabel, "true");
        return role;
    }

    private ObjectNode binding(String name, ObjectNode... subjects) {
        ObjectNode binding = object("ClusterRoleBinding", name, Map.of());
        binding.putObject("roleRef").put("apiGroup", RbacResources.GROUP).put("kind", "ClusterRole")
                .put("name", name);
        if (subjects.length > 0) {
            ArrayNode array = binding.putArray("subjects");
            for (ObjectNode subject : subjects) {
                array.add(subject);
            }
        }
        return binding;
    }

    private ObjectNode object(String kind, String name, Map<String, String> labels) {
        ObjectNode object = mapper.createObjectNode();
        object.put("apiVersion", RbacResources.GROUP + "/v1").put("kind", kind);
        ObjectNode metadata = object.putObject("metadata");
        metadata.put("name", name);
        metadata.putObject("annotations").put(AUTO_UPDATE, "true");
        ObjectNode labelNode = metadata.putObject("labels");
        labelNode.put(BOOTSTRAPPING, RBAC_DEFAULTS);
        new java.util.TreeMap<>(labels).forEach(labelNode::put);
        return object;
    }

    private ObjectNode group(String name) {
        return mapper.createObjectNode().put("apiGroup", RbacResources.GROUP).put("kind", "Group").put("name", name);
    }

    private ObjectNode user(String name) {
        return mapper.createObjectNode().put("apiGroup", RbacResources.GROUP).put("kind", "User").put("name", name);
    }

    private static PolicyRule rule(List<String> verbs, List<String> groups, String... resources) {
        return PolicyRule.resources(verbs, groups, List.of(resources));
    }
}
