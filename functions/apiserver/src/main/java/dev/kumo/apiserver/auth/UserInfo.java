package dev.kumo.apiserver.auth;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Who makes a request, as Kubernetes' {@code user.Info} describes it: a name, a uid, groups and extra attributes
 * (a service-account token's pod, for instance). Authenticators produce it; authorizers, admission and audit use it.
 */
public record UserInfo(String name, String uid, List<String> groups, Map<String, List<String>> extra) {
    public static final String ALL_AUTHENTICATED = "system:authenticated";
    public static final String ALL_UNAUTHENTICATED = "system:unauthenticated";
    public static final String SYSTEM_PRIVILEGED_GROUP = "system:masters";
    public static final String ANONYMOUS_NAME = "system:anonymous";
    public static final String NODES_GROUP = "system:nodes";
    public static final String NODE_USER_PREFIX = "system:node:";
    public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";
    public static final String SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts";
    public static final String BOOTSTRAPPERS_GROUP = "system:bootstrappers";
    public static final String BOOTSTRAP_USER_PREFIX = "system:bootstrap:";

    /** The user of an unauthenticated request (allowed only on the open health and version paths). */
    public static final UserInfo ANONYMOUS = new UserInfo(ANONYMOUS_NAME, "", List.of(ALL_UNAUTHENTICATED), Map.of());
    /** The API server itself, for the objects it writes on its own (bootstrap, allocations). */
    public static final UserInfo API_SERVER = new UserInfo("system:apiserver", "",
            List.of(SYSTEM_PRIVILEGED_GROUP, ALL_AUTHENTICATED), Map.of());

    public UserInfo {
        uid = uid == null ? "" : uid;
        groups = List.copyOf(groups);
        extra = Map.copyOf(extra);
    }

    public static UserInfo of(String name, String... groups) {
        return new UserInfo(name, "", List.of(groups), Map.of());
    }

    /** This user as authenticated requests carry it: with {@code system:authenticated} among its groups. */
    public UserInfo authenticated() {
        if (groups.contains(ALL_AUTHENTICATED) || name.equals(ANONYMOUS_NAME)) {
            return this;
        }
        List<String> all = new ArrayList<>(groups);
        all.add(ALL_AUTHENTICATED);
        return new UserInfo(name, uid, all, extra);
    }

    public boolean inGroup(String group) {
        return groups.contains(group);
    }

    /** The node this user is, for node credentials ({@code system:node:<name>} in {@code system:nodes}); else null. */
    public String nodeName() {
        return name.startsWith(NODE_USER_PREFIX) && inGroup(NODES_GROUP) ? name.substring(NODE_USER_PREFIX.length())
                : null;
    }
}
