package dev.kumo.apiserver.auth;

import dev.kumo.apiserver.auth.authz.Authorizer;
import dev.kumo.apiserver.auth.authz.Decision;
import dev.kumo.apiserver.auth.authz.Forbidden;
import dev.kumo.apiserver.auth.authz.RequestInfo;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.http.ApiRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * User impersonation, as kube-apiserver's impersonation filter does it ({@code kubectl --as}, {@code --as-group}):
 * the {@code Impersonate-User}, {@code Impersonate-Group}, {@code Impersonate-Uid} and {@code Impersonate-Extra-*}
 * headers make the request act as another user, provided the authenticated user may {@code impersonate} each of
 * them: {@code users}, {@code groups} and {@code serviceaccounts} in the core group, {@code uids} and
 * {@code userextras/<key>} in {@code authentication.k8s.io}. A refusal is a 403 naming what could not be
 * impersonated.
 *
 * <p>Repeated headers reach the API joined with commas (API Gateway's payload format 2.0 joins them), so a group
 * name holding a comma cannot be impersonated.
 */
public final class Impersonation {
    private static final Logger LOG = LoggerFactory.getLogger(Impersonation.class);
    public static final String USER_HEADER = "Impersonate-User";
    public static final String GROUP_HEADER = "Impersonate-Group";
    public static final String UID_HEADER = "Impersonate-Uid";
    public static final String EXTRA_HEADER_PREFIX = "Impersonate-Extra-";
    private static final String AUTHENTICATION_GROUP = "authentication.k8s.io";

    private final Authorizer authorizer;

    public Impersonation(Authorizer authorizer) {
        this.authorizer = authorizer;
    }

    /** The user the request acts as: {@code requester} itself when it asks to impersonate no one. */
    public UserInfo actingUser(ApiRequest request, UserInfo requester) {
        String userHeader = header(request, USER_HEADER);
        List<String> groupsAsked = values(header(request, GROUP_HEADER));
        String uid = header(request, UID_HEADER);
        Map<String, List<String>> extraAsked = extras(request);
        if (userHeader.isEmpty()) {
            if (!groupsAsked.isEmpty() || !uid.isEmpty() || !extraAsked.isEmpty()) {
                // kube-apiserver answers 500 here; it is the client's mistake, so kumo says 400.
                throw ApiException.badRequest("requested impersonation of groups, uid or extra without "
                        + "impersonating a user (" + USER_HEADER + ")");
            }
            return requester;
        }
        String name = userHeader;
        List<String> groups = new ArrayList<>();
        String[] serviceAccount = serviceAccount(userHeader);
        if (serviceAccount != null) {
            check(requester, "serviceaccounts", "", serviceAccount[0], serviceAccount[1]);
            if (groupsAsked.isEmpty()) {
                groups.add(UserInfo.SERVICE_ACCOUNTS_GROUP);
                groups.add(UserInfo.SERVICE_ACCOUNTS_GROUP + ":" + serviceAccount[0]);
            }
        } else {
            check(requester, "users", "", "", userHeader);
        }
        for (String group : groupsAsked) {
            check(requester, "groups", "", "", group);
            groups.add(group);
        }
        Map<String, List<String>> extra = new LinkedHashMap<>();
        extraAsked.forEach((key, values) -> values.forEach(value -> {
            check(requester, "userextras", key, "", value);
            extra.computeIfAbsent(key, k -> new ArrayList<>()).add(value);
        }));
        if (!uid.isEmpty()) {
            check(requester, "uids", "", "", uid);
        }
        boolean anonymous = name.equals(UserInfo.ANONYMOUS_NAME);
        if (anonymous ? !groups.contains(UserInfo.ALL_UNAUTHENTICATED)
                : !groups.contains(UserInfo.ALL_AUTHENTICATED) && !groups.contains(UserInfo.ALL_UNAUTHENTICATED)) {
            groups.add(anonymous ? UserInfo.ALL_UNAUTHENTICATED : UserInfo.ALL_AUTHENTICATED);
        }
        UserInfo acting = new UserInfo(name, uid, groups, extra);
        LOG.atDebug().addKeyValue("user", requester.name()).addKeyValue("as", acting.name())
                .addKeyValue("groups", acting.groups()).log("impersonating");
        return acting;
    }

    private void check(UserInfo requester, String resource, String subresource, String namespace, String name) {
        String group = resource.equals("uids") || resource.equals("userextras") ? AUTHENTICATION_GROUP : "";
        RequestInfo asking = RequestInfo.resource("impersonate", group, namespace, resource, subresource, name);
        Decision decision = authorizer.authorize(requester, asking);
        if (!decision.allowed()) {
            LOG.atInfo().addKeyValue("user", requester.name()).addKeyValue("resource", resource)
                    .addKeyValue("name", name).log("impersonation forbidden");
            throw Forbidden.of(requester, asking, decision.reason());
        }
    }

    /** {@code system:serviceaccount:<namespace>:<name>} split into namespace and name; else null. */
    private static String[] serviceAccount(String user) {
        if (!user.startsWith(UserInfo.SERVICE_ACCOUNT_PREFIX)) {
            return null;
        }
        String[] parts = user.substring(UserInfo.SERVICE_ACCOUNT_PREFIX.length()).split(":", -1);
        return parts.length == 2 && !parts[0].isEmpty() && !parts[1].isEmpty() ? parts : null;
    }

    private static Map<String, List<String>> extras(ApiRequest request) {
        Map<String, List<String>> extras = new LinkedHashMap<>();
        request.headers().forEach((name, value) -> {
            if (name.regionMatches(true, 0, EXTRA_HEADER_PREFIX, 0, EXTRA_HEADER_PREFIX.length())) {
                String key = URLDecoder.decode(name.substring(EXTRA_HEADER_PREFIX.length()).toLowerCase(Locale.ROOT),
                        StandardCharsets.UTF_8);
                extras.put(key, values(value));
            }
        });
        return extras;
    }

    private static String header(ApiRequest request, String name) {
        String value = request.header(name);
        return value == null ? "" : value.strip();
    }

    private static List<String> values(String header) {
        if (header == null || header.isBlank()) {
            return List.of();
        }
        return Arrays.stream(header.split(",")).map(String::strip).filter(v -> !v.isEmpty()).toList();
    }
}
