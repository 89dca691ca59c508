package dev.kumo.apiserver.auth.rbac;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoredObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The RBAC policy of one process, kept fresh without a watch: the API server runs as a Lambda with no informer.
 * A call reads the revision counters of the kinds it needs in one strongly consistent batch read and relists
 * only the kinds whose counter moved past the revision of this process's copy. A write commits only after its
 * revision was taken from the counter, so a binding created by a request that has finished is seen by the next
 * counter read in any process. A list returns the state at a revision up to which every write is visible, and that
 * revision is what this copy records, so a write still in flight during the list is picked up by a later call.
 *
 * <p>The counter read is a DynamoDB call on every request an RBAC subject makes (the control loops' included). Where
 * one process is the only API server (the local cluster), one read may vouch for the copy for {@code checkTtl}: a
 * change made through this process is seen by the next request at once, since the write {@link #changed() tells}
 * the source, which drops the vouching; only a change made through another process would show up to
 * {@code checkTtl} late. So the default, for several API processes (Lambda instances), is zero: the counters are
 * read on every call, and a change through any process counts for the next request.
 */
public final class StorePolicySource implements PolicySource {
    private static final Logger LOG = LoggerFactory.getLogger(StorePolicySource.class);

    private final Store store;
    private final long checkTtlNanos;
    /** Bumped by every RBAC write through this process: a check made before it vouches for nothing. */
    private final AtomicLong changes = new AtomicLong();
    private volatile Snapshot snapshot = new Snapshot(RbacPolicy.EMPTY, Map.of());
    private volatile Check clusterScoped;
    private volatile Check namespaced;

    /** A counter read that found the copy current: made at {@code nanos}, when {@code changes} stood at its value. */
    private record Check(long nanos, long changes) {
    }

    /** A policy and, per kind, the store revision it reflects (absent: never listed). */
    private record Snapshot(RbacPolicy policy, Map<String, Long> revisions) {
        boolean coversAll(Map<String, Long> latest) {
            return latest.entrySet().stream()
                    .allMatch(e -> revisions.containsKey(e.getKey()) && revisions.get(e.getKey()) >= e.getValue());
        }
    }

    /** Reading the counters on every call. */
    public StorePolicySource(Store store) {
        this(store, Duration.ZERO);
    }

    /** Letting one counter read vouch for the copy for {@code checkTtl}, or until {@link #changed()}. */
    public StorePolicySource(Store store, Duration checkTtl) {
        this.store = store;
        this.checkTtlNanos = checkTtl.toNanos();
    }

    @Override
    public RbacPolicy policy(boolean namespaced) {
        long now = System.nanoTime();
        long changesNow = changes.get();
        // A namespaced check read all four kinds: it vouches for cluster-scoped decisions too.
        if (vouches(this.namespaced, now, changesNow) || !namespaced && vouches(clusterScoped, now, changesNow)) {
            return snapshot.policy();
        }
        Map<String, Long> latest = store.currentRevisions(namespaced ? RbacResources.ALL
                : RbacResources.CLUSTER_SCOPED);
        Snapshot current = snapshot;
        RbacPolicy policy = current.coversAll(latest) ? current.policy() : refresh(latest);
        Check check = new Check(now, changesNow);
        if (namespaced) {
            this.namespaced = check;
        } else {
            clusterScoped = check;
        }
        return policy;
    }

    /** An RBAC object was written through this process: the next call reads the counters. */
    @Override
    public void changed() {
        changes.incrementAndGet();
    }

    private boolean vouches(Check check, long now, long changesNow) {
        return check != null && check.changes() == changesNow && now - check.nanos() < checkTtlNanos;
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
