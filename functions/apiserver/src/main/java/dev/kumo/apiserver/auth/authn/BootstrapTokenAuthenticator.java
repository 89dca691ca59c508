package dev.kumo.apiserver.auth.authn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apiserver.auth.UserInfo;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Bootstrap tokens, as Kubernetes' bootstrap authenticator reads them: {@code <id>.<secret>} matched against the
 * Secret {@code kube-system/bootstrap-token-<id>} of type {@code bootstrap.kubernetes.io/token}, which must allow
 * authentication ({@code usage-bootstrap-authentication: "true"}) and not be expired. The user is
 * {@code system:bootstrap:<id>} in {@code system:bootstrappers} plus the secret's {@code auth-extra-groups}.
 */
public final class BootstrapTokenAuthenticator implements TokenAuthenticator {
    public static final String SECRET_TYPE = "bootstrap.kubernetes.io/token";
    public static final String SECRET_PREFIX = "bootstrap-token-";
    public static final String NAMESPACE = "kube-system";
    private static final Pattern TOKEN = Pattern.compile("([a-z0-9]{6})\\.([a-z0-9]{16})");
    private static final Pattern EXTRA_GROUP = Pattern.compile("system:bootstrappers:[a-z0-9:-]{0,255}[a-z0-9]");

    private final Store store;
    private final Clock clock;

    public BootstrapTokenAuthenticator(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    @Override
    public Optional<UserInfo> authenticate(String token) {
        Matcher parts = TOKEN.matcher(token);
        if (!parts.matches()) {
            return Optional.empty();
        }
        String id = parts.group(1);
        String secretName = SECRET_PREFIX + id;
        Optional<ObjectNode> stored = store.get(new ObjectKey("secrets", NAMESPACE, secretName))
                .map(StoredObject::value);
        if (stored.isEmpty()) {
            return Optional.empty(); // of this form but no bootstrap token: another authenticator may know it
        }
        ObjectNode secret = stored.get();
        if (Meta.isBeingDeleted(secret)) {
            throw invalid(secretName, "is deleted and awaiting removal");
        }
        JsonNode data = secret.path("data");
        if (!SECRET_TYPE.equals(secret.path("type").asText("")) || !data.isObject()) {
            throw invalid(secretName, "has invalid type, expected " + SECRET_TYPE);
        }
        if (!MessageDigest.isEqual(value(data, "token-secret").getBytes(StandardCharsets.UTF_8),
                parts.group(2).getBytes(StandardCharsets.UTF_8))) {
            throw invalid(secretName, "has invalid value for key token-secret");
        }
        if (!id.equals(value(data, "token-id"))) {
            throw invalid(secretName, "has invalid value for key token-id");
        }
        String expiration = value(data, "expiration");
        if (!expiration.isEmpty() && expired(expiration)) {
            throw invalid(secretName, "has expired (expiration " + expiration + ")");
        }
        if (!"true".equals(value(data, "usage-bootstrap-authentication"))) {
            throw invalid(secretName, "not marked usage-bootstrap-authentication=true");
        }
        return Optional.of(new UserInfo(UserInfo.BOOTSTRAP_USER_PREFIX + id, "", groups(secretName, data), Map.of()));
    }

    /** An unreadable expiration counts as expired, as in Kubernetes. */
    private boolean expired(String expiration) {
        try {
            return !OffsetDateTime.parse(expiration).toInstant().isAfter(clock.instant());
        } catch (DateTimeParseException e) {
            return true;
        }
    }

    /** {@code system:bootstrappers} and the extra groups, sorted and without duplicates (Kubernetes' GetGroups). */
    private static List<String> groups(String secretName, JsonNode data) {
        TreeSet<String> groups = new TreeSet<>(List.of(UserInfo.BOOTSTRAPPERS_GROUP));
        String extra = value(data, "auth-extra-groups");
        if (!extra.isEmpty()) {
            for (String group : extra.split(",", -1)) {
                if (!EXTRA_GROUP.matcher(group).matches()) {
                    throw invalid(secretName, "has invalid value for key auth-extra-groups: bootstrap group \""
                            + group + "\" is invalid (must match " + EXTRA_GROUP.pattern() + ")");
                }
                groups.add(group);
            }
        }
        return new ArrayList<>(groups);
    }

    /** A data value, decoded from base64; empty when absent or not base64. */
    private static String value(JsonNode data, String key) {
        String encoded = data.path(key).asText("");
        try {
            return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return "";
        }
    }

    private static InvalidTokenException invalid(String secretName, String why) {
        return new InvalidTokenException("bootstrap token secret " + NAMESPACE + "/" + secretName + " " + why);
    }
}
