package dev.kumo.apiserver.auth.authz;

import dev.kumo.apiserver.auth.UserInfo;

import java.util.ArrayList;
import java.util.List;

/**
 * kube-apiserver's union authorizer: each authorizer in turn; the first to allow or deny decides, and when none has
 * an opinion the request is denied with their reasons.
 */
public final class AuthorizerChain implements Authorizer {
    private final List<Authorizer> authorizers;

    public AuthorizerChain(List<Authorizer> authorizers) {
        this.authorizers = List.copyOf(authorizers);
    }

    @Override
    public Decision authorize(UserInfo user, RequestInfo request) {
        List<String> reasons = new ArrayList<>();
        for (Authorizer authorizer : authorizers) {
            Decision decision = authorizer.authorize(user, request);
            if (decision.kind() != Decision.Kind.NO_OPINION) {
                return decision;
            }
            if (decision.reason() != null && !decision.reason().isEmpty()) {
                reasons.add(decision.reason());
            }
        }
        return Decision.noOpinion(String.join(", ", reasons));
    }

    /** The union of every authorizer's rules (kube-apiserver's union rule resolver). */
    @Override
    public SubjectRules rulesFor(UserInfo user, String namespace) {
        SubjectRules rules = SubjectRules.NONE;
        for (Authorizer authorizer : authorizers) {
            rules = rules.and(authorizer.rulesFor(user, namespace));
        }
        return rules;
    }
}
