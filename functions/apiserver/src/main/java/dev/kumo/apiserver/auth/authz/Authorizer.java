package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.auth.UserInfo;

/** Decides whether a user may do what a request asks (Kubernetes' {@code authorizer.Authorizer}). */
public interface Authorizer {
    Decision authorize(UserInfo user, RequestInfo request);
}
