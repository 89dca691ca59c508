package dev.kumo.controllers.namespace;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import dev.kumo.controllers.runtime.ControlLoop;
import dev.kumo.controllers.runtime.ControllerContext;
import dev.kumo.controllers.runtime.KeyMapper;
import dev.kumo.controllers.runtime.PeriodicResync;
import dev.kumo.controllers.runtime.ResyncSource;

import java.time.Duration;
import java.util.List;

/**
 * kube-controller-manager's namespace controller: empties a deleted namespace and finalizes it (see
 * {@link NamespacedResourcesDeleter}). Keys: {@code namespaces/<name>} for a namespace that has a deletionTimestamp
 * (a namespace that is not being deleted needs nothing). While content remains the reconciler asks to be called
 * again; the resync, every {@link #RESYNC}, picks up the namespaces in phase Terminating in case a key was lost.
 * The system namespaces ({@code default}, {@code kube-system}, {@code kube-public}, {@code kube-node-lease}) are the
 * API server's: it creates them at bootstrap and refuses to delete the first three; this loop re-creates nothing.
 */
public final class NamespaceController {
    public static final String NAME = "namespace";
    public static final String COMPONENT = "namespace-controller";
    public static final Duration RESYNC = Duration.ofMinutes(5);
    static final String NAMESPACES = ResourceType.NAMESPACES.storageResource();

    private NamespaceController() {
    }

    public static ControlLoop loop(ControllerContext context) {
        return new ControlLoop(NAME, keys(), new NamespacedResourcesDeleter(context.client(), context.clock()),
                new PeriodicResync(context.clock(), RESYNC, terminating(context.client())));
    }

    /** The loop's key mapper, which needs no API client (the fan-out runs it). */
    public static KeyMapper keys() {
        return change -> change.key().resource().equals(NAMESPACES) && change.type() != WatchEvent.Type.DELETED
                && change.object() != null && Meta.isBeingDeleted(change.object())
                ? List.of(change.key()) : List.of();
    }

    private static ResyncSource terminating(KubeClient client) {
        return () -> client.list(ResourceType.NAMESPACES, "", "", "status.phase=Terminating").stream()
                .map(ns -> ObjectKey.cluster(NAMESPACES, Meta.name(ns))).toList();
    }
}
