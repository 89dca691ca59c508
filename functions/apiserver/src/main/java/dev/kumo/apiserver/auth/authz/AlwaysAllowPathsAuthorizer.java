package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.auth.authn.RequestAuthenticator;

/**
 * kube-apiserver's {@code --authorization-always-allow-paths}: the health and version endpoints answer anyone, so
 * that load balancers and probes need no credentials. They reveal nothing about the cluster's objects.
 */
public final class AlwaysAllowPathsAuthorizer implements Authorizer {
    @Override
    public Decision authorize(UserInfo user, RequestInfo request) {
        if (!request.resourceRequest() && request.verb().equals("get")
                && RequestAuthenticator.isOpen(request.path())) {
            return Decision.allow("");
        }
        return Decision.noOpinion("");
    }
}
