package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.auth.UserInfo;

/** Decides whether a user may do what a request asks (Kubernetes' {@code authorizer.Authorizer}). */
public interface Authorizer {
    Decision authorize(UserInfo user, RequestInfo request);

    /**
     * The rules this authorizer grants the user in the namespace, for SelfSubjectRulesReview (Kubernetes'
     * {@code authorizer.RuleResolver}); authorizers that do not enumerate their decisions grant none here.
     */
    default SubjectRules rulesFor(UserInfo user, String namespace) {
        return SubjectRules.NONE;
    }
}
