package dev.kumo.apiserver.lambda;

import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.admission.AdmissionChain;
import dev.kumo.apiserver.admission.NamespacedObjects;
import dev.kumo.apiserver.admission.node.NodeRestriction;
import dev.kumo.apiserver.admission.limitranger.LimitRanger;
import dev.kumo.apiserver.admission.resourcequota.ResourceQuotaAdmission;
import dev.kumo.apiserver.admission.serviceaccount.ServiceAccountAdmission;
import dev.kumo.apiserver.admission.tolerations.DefaultTolerationSeconds;
import dev.kumo.apiserver.audit.AuditSinks;
import dev.kumo.apiserver.auth.Security;
import dev.kumo.apiserver.auth.authn.RequestAuthenticator;
import dev.kumo.apiserver.auth.authn.StaticTokenAuthenticator;
import dev.kumo.apiserver.auth.authn.TokenAuthenticator;
import dev.kumo.apiserver.auth.authn.aws.AwsIamAuthenticator;
import dev.kumo.apiserver.auth.authz.AlwaysAllowPathsAuthorizer;
import dev.kumo.apiserver.auth.authz.AuthorizerChain;
import dev.kumo.apiserver.auth.authz.PrivilegedGroupAuthorizer;
import dev.kumo.apiserver.auth.node.BoundPods;
import dev.kumo.apiserver.auth.node.NodeAuthorizer;
import dev.kumo.apiserver.auth.tokens.TokenIssuer;
import dev.kumo.apiserver.auth.rbac.EscalationCheck;
import dev.kumo.apiserver.auth.rbac.RbacAuthorizer;
import dev.kumo.apiserver.auth.rbac.StorePolicySource;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the API server's {@link Security} from a function's environment. */
public final class SecurityFactory {
    /** A kube-apiserver token file ({@code token,user,uid,"groups"}); the local cluster's admin and components. */
    public static final String ENV_TOKEN_FILE = "KUMO_TOKEN_FILE";
    /**
     * How long one read of the RBAC revision counters vouches for the process's policy, in milliseconds (default 0:
     * read on every request). Only for a process that is the only API server: see {@link StorePolicySource}.
     */
    public static final String ENV_RBAC_CHECK_MILLIS = "KUMO_RBAC_CHECK_MILLIS";

    private SecurityFactory() {
    }

    /**
     * The admission plugins in kube-apiserver's order (NamespaceLifecycle, which comes first, is part of the
     * registry); ResourceQuota stays last, so that it charges for the object as the others left it.
     */
    static AdmissionChain admission(Store store, BoundPods boundPods, AuthorizerChain authorizer,
                                    RbacAuthorizer rbac) {
        Clock clock = Clock.systemUTC();
        return new AdmissionChain(List.of(
                new EscalationCheck(authorizer, rbac),
                new LimitRanger(new NamespacedObjects(store, "limitranges", clock)),
                new ServiceAccountAdmission(store, clock),
                new DefaultTolerationSeconds(),
                new NodeRestriction(boundPods),
                new ResourceQuotaAdmission(store, new NamespacedObjects(store, "resourcequotas", clock), clock)));
    }

    public static Security create(Map<String, String> env, Store store) {
        List<TokenAuthenticator> authenticators = new ArrayList<>();
        String tokenFile = env.get(ENV_TOKEN_FILE);
        if (tokenFile != null && !tokenFile.isEmpty()) {
            authenticators.add(StaticTokenAuthenticator.fromFile(Path.of(tokenFile)));
        }
        TokenIssuer tokens = TokenFactory.issuer(env, Clock.systemUTC());
        authenticators.addAll(TokenFactory.authenticators(env, tokens, store, Clock.systemUTC()));
        AwsIamAuthenticator.fromEnvironment(env, store).ifPresent(authenticators::add);
        BoundPods boundPods = new BoundPods(store);
        StorePolicySource policies = new StorePolicySource(store,
                Duration.ofMillis(Long.parseLong(env.getOrDefault(ENV_RBAC_CHECK_MILLIS, "0"))));
        RbacAuthorizer rbac = new RbacAuthorizer(policies);
        // kube-apiserver's order: open paths, system:masters, the Node authorizer, RBAC.
        AuthorizerChain authorizer = new AuthorizerChain(List.of(new AlwaysAllowPathsAuthorizer(),
                new PrivilegedGroupAuthorizer(), new NodeAuthorizer(boundPods), rbac));
        return new Security(new RequestAuthenticator(authenticators), authorizer,
                admission(store, boundPods, authorizer, rbac), AuditSinks.fromEnvironment(env), tokens,
                policies);
    }
}
