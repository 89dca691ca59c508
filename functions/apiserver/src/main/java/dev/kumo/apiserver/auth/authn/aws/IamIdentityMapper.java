package dev.kumo.apiserver.auth.authn.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apiserver.auth.UserInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps an IAM identity to a Kubernetes user: first the mappings the function was deployed with
 * ({@code KUMO_IAM_MAPPINGS}, a JSON list of aws-auth entries; the deployer's role as {@code kumo-admin} in
 * {@code system:masters}), then the {@code kube-system/aws-auth} ConfigMap's {@code mapRoles} and
 * {@code mapUsers} (EKS's format, YAML lists), read from the store at most every {@link #CONFIG_MAP_TTL}.
 */
public final class IamIdentityMapper {
    public static final ObjectKey AWS_AUTH = new ObjectKey("configmaps", "kube-system", "aws-auth");
    public static final Duration CONFIG_MAP_TTL = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(IamIdentityMapper.class);
    private static final YAMLMapper YAML = new YAMLMapper();

    private final List<IamMapping> fixed;
    private final Store store;
    private final Clock clock;
    private volatile Cached cached;

    private record Cached(List<IamMapping> mappings, Instant readAt) {
    }

    /** @param store where aws-auth is read from; null to use the fixed mappings only */
    public IamIdentityMapper(List<IamMapping> fixed, Store store, Clock clock) {
        this.fixed = List.copyOf(fixed);
        this.store = store;
        this.clock = clock;
    }

    /** Parses {@code KUMO_IAM_MAPPINGS}: {@code [{"rolearn":"arn:...","username":"kumo-admin","groups":[...]}]}. */
    public static List<IamMapping> parseMappings(String json) {
        if (json == null || json.isBlank()) {
            return List.of();
        }
        try {
            List<IamMapping> mappings = new ArrayList<>();
            for (JsonNode entry : new ObjectMapper().readTree(json)) {
                mappings.add(IamMapping.fromJson(entry));
            }
            return mappings;
        } catch (IOException e) {
            throw new IllegalArgumentException("KUMO_IAM_MAPPINGS is not a JSON list of mappings: " + e.getMessage(), e);
        }
    }

    public Optional<UserInfo> map(CallerIdentity identity, String accessKeyId) {
        for (IamMapping mapping : fixed) {
            if (mapping.matches(identity)) {
                return mapping.user(identity, accessKeyId);
            }
        }
        for (IamMapping mapping : fromConfigMap()) {
            if (mapping.matches(identity)) {
                return mapping.user(identity, accessKeyId);
            }
        }
        return Optional.empty();
    }

    private List<IamMapping> fromConfigMap() {
        if (store == null) {
            return List.of();
        }
        Cached current = cached;
        Instant now = clock.instant();
        if (current != null && now.isBefore(current.readAt().plus(CONFIG_MAP_TTL))) {
            return current.mappings();
        }
        List<IamMapping> mappings = new ArrayList<>();
        store.get(AWS_AUTH).ifPresent(stored -> {
            JsonNode data = stored.value().path("data");
            for (String field : List.of("mapRoles", "mapUsers")) {
                String yaml = data.path(field).asText("");
                if (yaml.isBlank()) {
                    continue;
                }
                try {
                    for (JsonNode entry : YAML.readTree(yaml)) {
                        mappings.add(IamMapping.fromJson(entry));
                    }
                } catch (IOException | IllegalArgumentException e) {
                    LOG.atWarn().addKeyValue("configMap", "kube-system/aws-auth").addKeyValue("field", field)
                            .addKeyValue("reason", e.getMessage()).log("ignoring an aws-auth field that does not parse");
                }
            }
        });
        cached = new Cached(List.copyOf(mappings), now);
        return mappings;
    }
}
