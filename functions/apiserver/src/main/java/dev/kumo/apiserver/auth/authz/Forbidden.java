package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.errors.ApiException;

/** The 403 kube-apiserver answers, worded as it words it so that scripts matching its messages keep working. */
public final class Forbidden {
    private Forbidden() {
    }

    public static ApiException of(UserInfo user, RequestInfo request, String reason) {
        String suffix = reason == null || reason.isEmpty() ? "" : ": " + reason;
        if (!request.resourceRequest()) {
            return ApiException.forbidden("", "", "", "forbidden: User \"" + user.name() + "\" cannot "
                    + request.verb() + " path \"" + request.path() + "\"" + suffix);
        }
        String resource = request.resourceWithSubresource();
        // The object is named by its resource alone; the subresource shows in what the user cannot do.
        String subject = request.name().isEmpty()
                ? qualified(request.resource(), request.apiGroup())
                : qualified(request.resource(), request.apiGroup()) + " \"" + request.name() + "\"";
        String scope = request.namespace().isEmpty() ? "at the cluster scope"
                : "in the namespace \"" + request.namespace() + "\"";
        return ApiException.forbidden(request.apiGroup(), request.resource(), request.name(), subject
                + " is forbidden: User \"" + user.name() + "\" cannot " + request.verb() + " resource \"" + resource
                + "\" in API group \"" + request.apiGroup() + "\" " + scope + suffix);
    }

    private static String qualified(String resource, String group) {
        return group.isEmpty() ? resource : resource + "." + group;
    }
}
