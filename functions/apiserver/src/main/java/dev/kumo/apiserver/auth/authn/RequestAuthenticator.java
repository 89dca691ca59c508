package dev.kumo.apiserver.auth.authn;

import dev.kumo.apiserver.auth.UserInfo;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds who sends a request: the bearer token of its {@code Authorization} header, tried by each token
 * authenticator in turn. A request without credentials is anonymous only on the open paths (health and version);
 * everywhere else it, and any credential that does not hold, gets 401.
 */
public final class RequestAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(RequestAuthenticator.class);
    /** Longer than any token kumo issues (an IAM token is ~1.5 KB); larger headers are refused before parsing. */
    public static final int MAX_TOKEN_LENGTH = 8192;
    public static final Set<String> OPEN_PATHS = Set.of("/healthz", "/readyz", "/livez", "/version");
    private static final Pattern SPACES = Pattern.compile(" +");

    private final List<TokenAuthenticator> authenticators;

    public RequestAuthenticator(List<TokenAuthenticator> authenticators) {
        this.authenticators = List.copyOf(authenticators);
    }

    /** The request's user, with {@code system:authenticated} among its groups, or anonymous on an open path. */
    public UserInfo authenticate(ApiRequest request) {
        String header = request.header("Authorization");
        if (header == null || header.isBlank()) {
            if (isOpen(request.path())) {
                return UserInfo.ANONYMOUS;
            }
            throw ApiException.unauthorized();
        }
        String token = bearerToken(header);
        for (TokenAuthenticator authenticator : authenticators) {
            try {
                Optional<UserInfo> user = authenticator.authenticate(token);
                if (user.isPresent()) {
                    return user.get().authenticated();
                }
            } catch (InvalidTokenException e) {
                LOG.atInfo().addKeyValue("authenticator", authenticator.getClass().getSimpleName())
                        .addKeyValue("path", request.path()).addKeyValue("reason", e.getMessage())
                        .log("rejected a bearer token");
                throw ApiException.unauthorized();
            }
        }
        LOG.atInfo().addKeyValue("path", request.path()).log("no authenticator accepted the bearer token");
        throw ApiException.unauthorized();
    }

    /** Whether the path is one of the open health and version endpoints. */
    public static boolean isOpen(String path) {
        String trimmed = path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return OPEN_PATHS.contains(trimmed) || trimmed.startsWith("/healthz/") || trimmed.startsWith("/readyz/")
                || trimmed.startsWith("/livez/");
    }

    private static String bearerToken(String header) {
        if (header.length() > MAX_TOKEN_LENGTH + 7) {
            LOG.atInfo().addKeyValue("length", header.length()).log("refused an oversized Authorization header");
            throw ApiException.unauthorized();
        }
        String[] parts = SPACES.split(header.strip());
        if (parts.length != 2 || !parts[0].toLowerCase(Locale.ROOT).equals("bearer") || parts[1].isEmpty()) {
            throw ApiException.unauthorized();
        }
        return parts[1];
    }
}
