package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The RBAC policy of one process, kept fresh without a watch: the API server runs as a Lambda with no informer.
 * Each call reads the revision counters of the kinds it needs in one strongly consistent batch read and relists
 * only the kinds whose counter moved past the revision of this process's copy. A write commits only after its
 * revision was taken from the counter, so a binding created by a request that has finished is seen by the next
 * request in any process. A list returns the state at a revision up to which every write is visible, and that
 * revision is what this copy records, so a write still in flight during the list is picked up by a later call.
 */
public final class StorePolicySource implements PolicySource {
    private static final Logger LOG = LoggerFactory.getLogger(StorePolicySource.class);

    private final Store store;
    private volatile Snapshot snapshot = new Snapshot(RbacPolicy.EMPTY, Map.of());

    /** A policy and, per kind, the store revision it reflects (absent: never listed). */
    private record Snapshot(RbacPolicy policy, Map<String, Long> revisions) {
        boolean coversAll(Map<String, Long> latest) {
            return latest.entrySet().stream()
                    .allMatch(e -> revisions.containsKey(e.getKey()) && revisions.get(e.getKey()) >= e.getValue());
        }
    }

    public StorePolicySource(Store store) {
        this.store = store;
    }

    @Override
    public RbacPolicy policy(boolean namespaced) {
        Map<String, Long> latest = store.currentRevisions(namespaced ? RbacResources.ALL
                : RbacResources.CLUSTER_SCOPED);
        Snapshot current = snapshot;
        if (current.coversAll(latest)) {
            return current.policy();
        }
        return refresh(latest);
    }

    private synchronized RbacPolicy refresh(Map<String, Long> latest) {
        Snapshot current = snapshot; // another thread may have refreshed meanwhile
        RbacPolicy policy = current.policy();
        Map<String, Long> revisions = new HashMap<>(current.revisions());
        for (Map.Entry<String, Long> kind : latest.entrySet()) {
            Long known = revisions.get(kind.getKey());
            if (known != null && known >= kind.getValue()) {
                continue;
            }
            ListPage page = store.list(kind.getKey(), ListOptions.all(""));
            policy = switch (kind.getKey()) {
                case RbacResources.CLUSTER_ROLES -> policy.withClusterRoles(parse(page, Role::fromJson));
                case RbacResources.ROLES -> policy.withRoles(parse(page, Role::fromJson));
                case RbacResources.CLUSTER_ROLE_BINDINGS -> policy.withClusterRoleBindings(parse(page,
                        Binding::fromJson));
                case RbacResources.ROLE_BINDINGS -> policy.withRoleBindings(parse(page, Binding::fromJson));
                default -> throw new IllegalStateException("not an RBAC kind: " + kind.getKey());
            };
            revisions.put(kind.getKey(), page.revision());
            LOG.atInfo().addKeyValue("resource", kind.getKey()).addKeyValue("revision", page.revision())
                    .addKeyValue("objects", page.items().size()).log("relisted RBAC objects");
        }
        snapshot = new Snapshot(policy, Map.copyOf(revisions));
        return policy;
    }

    private static <T> List<T> parse(ListPage page, Function<JsonNode, T> parser) {
        return page.items().stream().map(StoredObject::value).map(parser).toList();
    }
}
