package dev.kumo.apiserver.auth.rbac;

import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.auth.authz.SubjectRules;

import java.util.ArrayList;
import java.util.List;

/**
 * Kubernetes' RBAC authorizer: allows a request when any rule that applies to the user allows it, with the reason
 * naming the grant ({@code RBAC: allowed by ClusterRoleBinding "x" of ClusterRole "y" to User "z"}); otherwise it
 * has no opinion, with the resolution errors (a binding to a missing role) as the reason. It never denies.
 */
public final class RbacAuthorizer implements Authorizer {
    private final PolicySource policies;

    public RbacAuthorizer(PolicySource policies) {
        this.policies = policies;
    }

    @Override
    public Decision authorize(UserInfo user, RequestInfo request) {
        RuleResolver resolver = new RuleResolver(policies.policy(!request.namespace().isEmpty()));
        String[] allowedBy = {null};
        List<String> errors = new ArrayList<>();
        resolver.visitRulesFor(user, request.namespace(), new RuleResolver.Visitor() {
            @Override
            public boolean visit(RuleResolver.Grant grant, PolicyRule rule) {
                if (RuleMatching.allows(rule, request)) {
                    allowedBy[0] = grant.describe();
                    return false;
                }
                return true;
            }

            @Override
            public boolean error(String message) {
                errors.add(message);
                return true;
            }
        });
        if (allowedBy[0] != null) {
            return Decision.allow("RBAC: allowed by " + allowedBy[0]);
        }
        return Decision.noOpinion(errors.isEmpty() ? "" : "RBAC: " + RuleResolver.aggregate(errors));
    }

    @Override
    public SubjectRules rulesFor(UserInfo user, String namespace) {
        RuleResolver.Resolved resolved = resolver(namespace).rulesFor(user, namespace);
        List<SubjectRules.ResourceRule> resourceRules = new ArrayList<>();
        List<SubjectRules.NonResourceRule> nonResourceRules = new ArrayList<>();
        for (PolicyRule rule : resolved.rules()) {
            if (!rule.resources().isEmpty()) {
                resourceRules.add(new SubjectRules.ResourceRule(rule.verbs(), rule.apiGroups(), rule.resources(),
                        rule.resourceNames()));
            }
            if (!rule.nonResourceURLs().isEmpty()) {
                nonResourceRules.add(new SubjectRules.NonResourceRule(rule.verbs(), rule.nonResourceURLs()));
            }
        }
        return new SubjectRules(resourceRules, nonResourceRules, false, resolved.error());
    }

    /** The rules the user holds in the namespace, for escalation checks. */
    public RuleResolver.Resolved resolve(UserInfo user, String namespace) {
        return resolver(namespace).rulesFor(user, namespace);
    }

    /** A resolver over the current policy, for role references. */
    public RuleResolver resolver(String namespace) {
        return new RuleResolver(policies.policy(!namespace.isEmpty()));
    }
}
