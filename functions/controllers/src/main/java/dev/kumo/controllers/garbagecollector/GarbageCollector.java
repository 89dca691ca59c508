package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.PeriodicResync;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.Reconciler;
import dev.kumo.controllers.runtime.Result;
import dev.kumo.controllers.runtime.ResyncSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * kube-controller-manager's garbage collector without its in-memory graph: dependents are found by listing the
 * owner's scope (see {@link Scan}) and every owner is read again by uid before anything is deleted. Two kinds of key
 * (see {@link GarbageCollectorKeys}): a sweep of a namespace (or of the cluster), which collects every dependent
 * whose owners are gone, removes references to gone owners from dependents that have another, and lets go the
 * foreground owners whose blocking dependents are gone; and an object's own key, which handles it as an owner being
 * deleted (foreground or orphan) or as a dependent just created.
 */
public final class GarbageCollector implements Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(GarbageCollector.class);
    public static final String NAME = "garbagecollector";
    /** How often the whole cluster is swept, for references made dangling by updates and for lost messages. */
    static final Duration SWEEP_PERIOD = Duration.ofHours(1);
    /** How soon a foreground owner still waiting for dependents looks again (their deletion also wakes it). */
    static final Duration FOREGROUND_RECHECK = Duration.ofSeconds(30);

    private final KubeClient client;
    private final ApiResources resources;
    private final Collector collector;

    GarbageCollector(KubeClient client, Clock clock) {
        this.client = client;
        this.resources = new ApiResources(client, clock);
        this.collector = new Collector(client, resources, new Owners(client, resources));
    }

    /** The loop's key mapper alone (it needs no API client): what the fan-out runs. */
    public static KeyMapper keys() {
        return new GarbageCollectorKeys();
    }

    public static ControlLoop loop(ControllerContext context) {
        return new ControlLoop(NAME, keys(), new GarbageCollector(context.client(),
                context.clock()), resync(context.clock()));
    }

    /** The sweep of the cluster once every {@link #SWEEP_PERIOD}, on the tick that starts the period. */
    static ResyncSource resync(Clock clock) {
        return new PeriodicResync(clock, SWEEP_PERIOD, () -> List.of(GarbageCollectorKeys.sweep(Scan.CLUSTER)));
    }

    @Override
    public Result reconcile(ObjectKey key) throws Exception {
        if (key.resource().equals(GarbageCollectorKeys.SWEEP)) {
            sweep(key.namespace());
            return Result.DONE;
        }
        Optional<ApiResources.Resource> resource = resources.forStorageResource(key.resource());
        if (resource.isEmpty()) {
            LOG.atWarn().addKeyValue("key", key).log("no served resource for this key; nothing to collect");
            return Result.DONE;
        }
        Optional<ObjectNode> object = client.get(resource.get().type(), key.namespace(), key.name());
        if (object.isEmpty()) {
            return Result.DONE; // its deletion was (or will be) swept
        }
        Scan.Item item = new Scan.Item(resource.get().type(), object.get());
        if (!Meta.isBeingDeleted(item.object())) {
            collector.attemptToDelete(item, Scan.none());
            return Result.DONE;
        }
        boolean orphan = Owners.hasFinalizer(item.object(), Owners.ORPHAN);
        boolean foreground = Owners.hasFinalizer(item.object(), Owners.FOREGROUND);
        if (!orphan && !foreground) {
            return Result.DONE;
        }
        Scan scope = Scan.of(client, resources, item.type().namespaced() ? item.namespace() : Scan.CLUSTER);
        if (orphan) {
            collector.orphan(item, scope);
        }
        if (foreground && !collector.deleteDependents(item, scope, true)) {
            return Result.requeueAfter(FOREGROUND_RECHECK);
        }
        return Result.DONE;
    }

    /**
     * One pass over a namespace (or the cluster): owners being deleted with the collector's finalizers are finalized
     * once their dependents allow it, every other object with owners is checked. Objects are handled side by side.
     */
    private void sweep(String scope) throws Exception {
        Scan scan = Scan.of(client, resources, scope);
        List<Callable<Void>> work = new ArrayList<>();
        for (Scan.Item item : scan.items()) {
            if (Meta.isBeingDeleted(item.object())) {
                if (Owners.hasFinalizer(item.object(), Owners.ORPHAN)) {
                    work.add(() -> {
                        collector.orphan(item, scan);
                        return null;
                    });
                }
                if (Owners.hasFinalizer(item.object(), Owners.FOREGROUND) && scan.covers(item)) {
                    work.add(() -> {
                        collector.deleteDependents(item, scan, false);
                        return null;
                    });
                }
            } else if (!item.owners().isEmpty()) {
                work.add(() -> {
                    collector.attemptToDelete(item, scan);
                    return null;
                });
            }
        }
        LOG.atDebug().addKeyValue("namespace", scope).addKeyValue("objects", scan.items().size())
                .addKeyValue("checked", work.size()).log("swept for dependents");
        Parallel.run(work);
    }
}
