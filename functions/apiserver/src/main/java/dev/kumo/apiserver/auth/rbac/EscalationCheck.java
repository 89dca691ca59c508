package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.errors.ApiException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * RBAC's privilege escalation prevention, as Kubernetes' RBAC storage enforces it: a user may create or update a
 * Role or ClusterRole only with rules the user already holds (where the role lives), unless allowed to
 * {@code escalate} roles; and may create or update a binding only to a role whose rules the user holds (in the
 * binding's namespace), unless allowed to {@code bind} that role. Setting or changing an aggregationRule needs
 * every right on everything. Members of {@code system:masters} are exempt; so are updates that touch only what
 * garbage collection changes (owner references and finalizers).
 */
public final class EscalationCheck implements AdmissionPlugin {
    private static final Logger LOG = LoggerFactory.getLogger(EscalationCheck.class);
    private static final List<PolicyRule> FULL_AUTHORITY = List.of(
            PolicyRule.resources(List.of("*"), List.of("*"), List.of("*")),
            PolicyRule.urls(List.of("*"), List.of("*")));

    private final Authorizer authorizer;
    private final RbacAuthorizer rbac;

    /**
     * @param authorizer the API server's whole authorizer, which decides {@code escalate} and {@code bind}
     * @param rbac       the RBAC authorizer, whose rules say what the user holds
     */
    public EscalationCheck(Authorizer authorizer, RbacAuthorizer rbac) {
        this.authorizer = authorizer;
        this.rbac = rbac;
    }

    @Override
    public void validate(AdmissionRequest request) {
        if (request.operation() == AdmissionRequest.Operation.DELETE
                || !request.resource().group().equals(RbacResources.GROUP)
                || request.user().inGroup(UserInfo.SYSTEM_PRIVILEGED_GROUP)) {
            return;
        }
        switch (request.resource().plural()) {
            case "roles", "clusterroles" -> checkRole(request);
            case "rolebindings", "clusterrolebindings" -> checkBinding(request);
            default -> {
            }
        }
    }

    private void checkRole(AdmissionRequest request) {
        String plural = request.resource().plural();
        // RoleEscalationAuthorized asks with the request's own name, which a create does not have.
        String requestName = request.operation() == AdmissionRequest.Operation.CREATE ? "" : request.name();
        if (authorizer.authorize(request.user(), RequestInfo.resource("escalate", RbacResources.GROUP,
                request.namespace(), plural, "", requestName)).allowed() || onlyGarbageCollectorFields(request)) {
            return;
        }
        confirmNoEscalation(request, PolicyRule.listFromJson(request.object().path("rules")));
        boolean aggregation = Role.hasAggregationRule(request.object())
                || request.oldObject() != null && Role.hasAggregationRule(request.oldObject());
        if (plural.equals("clusterroles") && aggregation
                && !RuleCoverage.uncovered(rbac.resolve(request.user(), "").rules(), FULL_AUTHORITY).isEmpty()) {
            throw forbidden(request, "must have cluster-admin privileges to use the aggregationRule");
        }
    }

    private void checkBinding(AdmissionRequest request) {
        if (onlyGarbageCollectorFields(request)) {
            return;
        }
        RoleRef roleRef = RoleRef.fromJson(request.object().path("roleRef"));
        String resource = roleRef.kind().equals(RoleRef.ROLE) ? "roles" : "clusterroles";
        if (authorizer.authorize(request.user(), RequestInfo.resource("bind", roleRef.apiGroup(),
                request.namespace(), resource, "", roleRef.name())).allowed()) {
            return;
        }
        RuleResolver.RoleRules rules = rbac.resolver(request.namespace())
                .roleReferenceRules(roleRef, request.namespace());
        if (!rules.found()) {
            throw roleRef.kind().equals(RoleRef.ROLE)
                    ? ApiException.notFound(RbacResources.GROUP, "Role", "roles", roleRef.name())
                    : ApiException.notFound(RbacResources.GROUP, "ClusterRole", "clusterroles", roleRef.name());
        }
        confirmNoEscalation(request, rules.rules());
    }

    /** {@code ConfirmNoEscalation}: the user's rules where the object lives must cover {@code rules}. */
    private void confirmNoEscalation(AdmissionRequest request, List<PolicyRule> rules) {
        RuleResolver.Resolved owned = rbac.resolve(request.user(), request.namespace());
        List<PolicyRule> missing = RuleCoverage.uncovered(owned.rules(), rules);
        if (missing.isEmpty()) {
            return;
        }
        String message = "user " + PolicyRule.goQuoted(request.user().name()) + " (groups="
                + PolicyRule.goQuoted(request.user().groups()) + ") is attempting to grant RBAC permissions not "
                + "currently held:\n" + String.join("\n", RuleCoverage.describe(missing))
                + (owned.error().isEmpty() ? "" : "; resolution errors: [" + owned.error() + "]");
        LOG.atInfo().addKeyValue("user", request.user().name()).addKeyValue("resource", request.resource().plural())
                .addKeyValue("namespace", request.namespace()).addKeyValue("name", request.name())
                .addKeyValue("missing", missing.size()).log("refused an RBAC escalation");
        throw forbidden(request, message);
    }

    private static ApiException forbidden(AdmissionRequest request, String reason) {
        String resource = request.resource().plural() + "." + RbacResources.GROUP;
        String subject = request.name().isEmpty() ? resource : resource + " " + PolicyRule.goQuoted(request.name());
        return ApiException.forbidden(RbacResources.GROUP, request.resource().plural(), request.name(),
                subject + " is forbidden: " + reason);
    }

    /** {@code IsOnlyMutatingGCFields}: the update changes nothing but owner references and finalizers. */
    private static boolean onlyGarbageCollectorFields(AdmissionRequest request) {
        if (request.oldObject() == null) {
            return false;
        }
        ObjectNode copy = request.object().deepCopy();
        ObjectNode metadata = (ObjectNode) copy.path("metadata");
        JsonNode oldMetadata = request.oldObject().path("metadata");
        for (String field : List.of("ownerReferences", "finalizers", "managedFields", "selfLink")) {
            if (oldMetadata.has(field)) {
                metadata.set(field, oldMetadata.get(field));
            } else {
                metadata.remove(field);
            }
        }
        return copy.equals(request.oldObject());
    }
}
