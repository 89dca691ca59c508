package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.auth.UserInfo;

/**
 * Members of {@code system:masters} may do anything, before any other authorizer is asked; kube-apiserver does the
 * same, so that the cluster's admin cannot be locked out by a broken RBAC object.
 */
public final class PrivilegedGroupAuthorizer implements Authorizer {
    @Override
    public Decision authorize(UserInfo user, RequestInfo request) {
        return user.inGroup(UserInfo.SYSTEM_PRIVILEGED_GROUP) ? Decision.allow("") : Decision.noOpinion("");
    }
}
