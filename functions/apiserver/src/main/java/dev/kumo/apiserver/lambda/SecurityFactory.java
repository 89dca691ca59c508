package dev.kumo.apiserver.lambda;

import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.admission.AdmissionChain;
import dev.kumo.apiserver.auth.Security;
import dev.kumo.apiserver.auth.authn.RequestAuthenticator;
import dev.kumo.apiserver.auth.authn.StaticTokenAuthenticator;
import dev.kumo.apiserver.auth.authn.TokenAuthenticator;
import dev.kumo.apiserver.auth.authz.AlwaysAllowPathsAuthorizer;
import dev.kumo.apiserver.auth.authz.AuthorizerChain;
import dev.kumo.apiserver.auth.authz.PrivilegedGroupAuthorizer;
import dev.kumo.apiserver.auth.rbac.EscalationCheck;
import dev.kumo.apiserver.auth.rbac.RbacAuthorizer;
import dev.kumo.apiserver.auth.rbac.StorePolicySource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the API server's {@link Security} from a function's environment. */
public final class SecurityFactory {
    /** A kube-apiserver token file ({@code token,user,uid,"groups"}); the local cluster's admin and components. */
    public static final String ENV_TOKEN_FILE = "KUMO_TOKEN_FILE";
    private static final Logger AUDIT = LoggerFactory.getLogger("kumo.audit");

    private SecurityFactory() {
    }

    public static Security create(Map<String, String> env, Store store) {
        List<TokenAuthenticator> authenticators = new ArrayList<>();
        String tokenFile = env.get(ENV_TOKEN_FILE);
        if (tokenFile != null && !tokenFile.isEmpty()) {
            authenticators.add(StaticTokenAuthenticator.fromFile(Path.of(tokenFile)));
        }
        RbacAuthorizer rbac = new RbacAuthorizer(new StorePolicySource(store));
        // kube-apiserver's order: open paths, system:masters, the Node authorizer (to come), RBAC.
        AuthorizerChain authorizer = new AuthorizerChain(List.of(new AlwaysAllowPathsAuthorizer(),
                new PrivilegedGroupAuthorizer(), rbac));
        return new Security(new RequestAuthenticator(authenticators), authorizer,
                new AdmissionChain(List.of(new EscalationCheck(authorizer, rbac))),
                event -> AUDIT.atInfo().addKeyValue("user", event.user().name())
                        .addKeyValue("verb", event.request().verb()).addKeyValue("uri", event.requestUri())
                        .addKeyValue("code", event.responseCode()).log("audit"));
    }
}
