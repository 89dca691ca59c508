package dev.kumo.controllers.garbagecollector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * The collector's three jobs on objects it has read, after kube-controller-manager's garbage collector:
 * {@link #attemptToDelete} a dependent whose owners are gone or waiting, {@link #deleteDependents} of an owner being
 * deleted in the foreground (and let it go when no blocking dependent remains), {@link #orphan} the dependents of an
 * owner being deleted with the orphan policy. Every write carries a precondition (uid and resourceVersion), and a
 * write refused because the object changed reads it again and decides again, so late and repeated keys act only on
 * what is there now.
 */
final class Collector {
    private static final Logger LOG = LoggerFactory.getLogger(Collector.class);
    private static final int ATTEMPTS = 5;

    private enum Outcome { DONE, CHANGED }

    private final KubeClient client;
    private final ApiResources resources;
    private final Owners owners;

    Collector(KubeClient client, ApiResources resources, Owners owners) {
        this.client = client;
        this.resources = resources;
        this.owners = owners;
    }

    /**
     * kube's {@code attemptToDeleteItem}: a dependent with a live owner that is not waiting keeps living (it only loses
     * the references to absent and waiting owners); one whose owners wait for their dependents is deleted in the
     * foreground if it has dependents itself; one whose owners are all gone is deleted, honouring an orphan or
     * foreground finalizer it already carries. {@code scan} resolves owners it lists without a request.
     */
    void attemptToDelete(Scan.Item dependent, Scan scan) throws Exception {
        ObjectNode latest = dependent.object();
        String uid = dependent.uid();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (Meta.isBeingDeleted(latest)) {
                return; // a one-way trip: its dependents are looked at once it is gone
            }
            List<OwnerReference> references = OwnerReference.of(latest);
            if (references.isEmpty()) {
                return;
            }
            List<OwnerReference> solid = new ArrayList<>();
            List<OwnerReference> dangling = new ArrayList<>();
            List<OwnerReference> waiting = new ArrayList<>();
            for (OwnerReference reference : references) {
                switch (owners.resolve(reference, dependent.namespace(), scan)) {
                    case SOLID -> solid.add(reference);
                    case ABSENT -> dangling.add(reference);
                    case WAITING -> waiting.add(reference);
                    case UNRESOLVABLE -> {
                        LOG.atInfo().addKeyValue("object", dependent).addKeyValue("owner", reference)
                                .log("owner reference names a kind the API does not serve here; left alone");
                        return;
                    }
                }
            }
            Outcome outcome;
            if (!solid.isEmpty()) {
                if (dangling.isEmpty() && waiting.isEmpty()) {
                    return;
                }
                List<OwnerReference> removed = new ArrayList<>(dangling);
                removed.addAll(waiting);
                outcome = removeReferences(dependent, latest, removed);
            } else if (!waiting.isEmpty() && hasDependents(dependent, scan)) {
                outcome = unblockIfCycle(dependent, latest, scan);
                if (outcome == Outcome.DONE) {
                    outcome = delete(dependent, latest, "Foreground");
                }
            } else {
                String policy = Owners.hasFinalizer(latest, Owners.ORPHAN) ? "Orphan"
                        : Owners.hasFinalizer(latest, Owners.FOREGROUND) ? "Foreground" : "Background";
                outcome = delete(dependent, latest, policy);
            }
            if (outcome == Outcome.DONE) {
                return;
            }
            Optional<ObjectNode> fresh = client.get(dependent.type(), dependent.namespace(), dependent.name());
            if (fresh.isEmpty() || !Meta.uid(fresh.get()).equals(uid)) {
                return; // gone, or another object now has the name
            }
            latest = fresh.get();
        }
        throw new IllegalStateException(dependent + " kept changing while the garbage collector acted on it");
    }

    /**
     * kube's {@code processDeletingDependentsItem} for an owner being deleted in the foreground: its dependents are
     * deleted (when {@code deleteDependents}; a sweep leaves that to each dependent's own check) and, once no
     * dependent with {@code blockOwnerDeletion} remains, the {@code foregroundDeletion} finalizer is removed so that
     * the owner goes. True when the finalizer is gone.
     */
    boolean deleteDependents(Scan.Item owner, Scan scan, boolean deleteDependents) throws Exception {
        List<Scan.Item> dependents = scan.dependentsOf(owner.uid());
        if (deleteDependents) {
            List<Callable<Void>> deletes = new ArrayList<>();
            for (Scan.Item dependent : dependents) {
                if (!Meta.isBeingDeleted(dependent.object())) {
                    deletes.add(() -> {
                        attemptToDelete(dependent, scan);
                        return null;
                    });
                }
            }
            Parallel.run(deletes);
        }
        List<Scan.Item> blocking = dependents.stream().filter(dependent -> dependent.owners().stream()
                .anyMatch(ref -> ref.uid().equals(owner.uid()) && ref.blockOwnerDeletion())).toList();
        if (!blocking.isEmpty()) {
            LOG.atDebug().addKeyValue("owner", owner).addKeyValue("blocking", blocking.size())
                    .log("owner waits for its blocking dependents to go");
            return false;
        }
        removeFinalizer(owner, Owners.FOREGROUND);
        return true;
    }

    /**
     * kube's {@code attemptToOrphanWorker}: the owner's reference is removed from every dependent, then the
     * {@code orphan} finalizer from the owner.
     */
    void orphan(Scan.Item owner, Scan scan) throws Exception {
        List<Callable<Void>> patches = new ArrayList<>();
        for (Scan.Item dependent : scan.dependentsOf(owner.uid())) {
            patches.add(() -> {
                removeReference(dependent, owner.uid());
                return null;
            });
        }
        Parallel.run(patches);
        removeFinalizer(owner, Owners.ORPHAN);
    }

    private boolean hasDependents(Scan.Item item, Scan scan) throws Exception {
        Scan scope = scan.covers(item) ? scan : Scan.of(client, resources,
                item.type().namespaced() ? item.namespace() : Scan.CLUSTER);
        return !scope.dependentsOf(item.uid()).isEmpty();
    }

    /**
     * kube's cycle guard: when one of the dependent's own dependents also waits for its dependents, the dependent's
     * references stop blocking before it is deleted in the foreground.
     */
    private Outcome unblockIfCycle(Scan.Item dependent, ObjectNode latest, Scan scan) {
        boolean cycle = scan.dependentsOf(dependent.uid()).stream().map(Scan.Item::object)
                .anyMatch(child -> Owners.stateOf(child) == Owners.State.WAITING);
        boolean blocking = OwnerReference.of(latest).stream().anyMatch(OwnerReference::blockOwnerDeletion);
        if (!cycle || !blocking) {
            return Outcome.DONE;
        }
        ArrayNode unblocked = client.mapper().createArrayNode();
        for (OwnerReference reference : OwnerReference.of(latest)) {
            unblocked.add(((ObjectNode) reference.raw().deepCopy()).put("blockOwnerDeletion", false));
        }
        return patchReferences(dependent, latest, unblocked);
    }

    private Outcome delete(Scan.Item item, ObjectNode latest, String policy) {
        ObjectNode options = client.mapper().createObjectNode().put("apiVersion", "v1").put("kind", "DeleteOptions")
                .put("propagationPolicy", policy);
        options.putObject("preconditions").put("uid", Meta.uid(latest)).put("resourceVersion", Meta.resourceVersion(latest));
        try {
            if (!client.delete(item.type(), item.namespace(), item.name(), options)) {
                return Outcome.DONE;
            }
        } catch (ApiError e) {
            if (e.isConflict()) {
                return Outcome.CHANGED;
            }
            throw e;
        }
        LOG.atInfo().addKeyValue("object", item).addKeyValue("propagationPolicy", policy)
                .log("deleted a dependent whose owners are gone or being deleted");
        return Outcome.DONE;
    }

    private Outcome removeReferences(Scan.Item item, ObjectNode latest, List<OwnerReference> removed) {
        Set<String> uids = removed.stream().map(OwnerReference::uid).collect(Collectors.toSet());
        ArrayNode remaining = client.mapper().createArrayNode();
        for (OwnerReference reference : OwnerReference.of(latest)) {
            if (!uids.contains(reference.uid())) {
                remaining.add(reference.raw());
            }
        }
        Outcome outcome = patchReferences(item, latest, remaining);
        if (outcome == Outcome.DONE) {
            LOG.atInfo().addKeyValue("object", item).addKeyValue("removed", removed)
                    .log("removed owner references to owners that are gone or being deleted");
        }
        return outcome;
    }

    /** Removes the reference to {@code ownerUid}, reading the dependent again when it changed meanwhile. */
    private void removeReference(Scan.Item dependent, String ownerUid) {
        ObjectNode latest = dependent.object();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            List<OwnerReference> matching = OwnerReference.of(latest).stream()
                    .filter(ref -> ref.uid().equals(ownerUid)).toList();
            if (matching.isEmpty() || removeReferences(dependent, latest, matching) == Outcome.DONE) {
                return;
            }
            Optional<ObjectNode> fresh = client.get(dependent.type(), dependent.namespace(), dependent.name());
            if (fresh.isEmpty() || !Meta.uid(fresh.get()).equals(dependent.uid())) {
                return;
            }
            latest = fresh.get();
        }
        throw new IllegalStateException(dependent + " kept changing while its owner reference was removed");
    }

    private Outcome patchReferences(Scan.Item item, ObjectNode latest, ArrayNode references) {
        ObjectNode patch = client.mapper().createObjectNode();
        ObjectNode metadata = patch.putObject("metadata").put("resourceVersion", Meta.resourceVersion(latest));
        if (references.isEmpty()) {
            metadata.putNull("ownerReferences");
        } else {
            metadata.set("ownerReferences", references);
        }
        return mergePatch(item, patch);
    }

    /** Removes {@code finalizer} from the owner; a merge patch with the resourceVersion it was read at. */
    private void removeFinalizer(Scan.Item owner, String finalizer) {
        JsonNode latest = owner.object();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            if (!Owners.hasFinalizer(latest, finalizer)) {
                return;
            }
            ObjectNode patch = client.mapper().createObjectNode();
            ObjectNode metadata = patch.putObject("metadata").put("resourceVersion", Meta.resourceVersion(latest));
            ArrayNode remaining = metadata.putArray("finalizers");
            latest.path("metadata").path("finalizers").forEach(present -> {
                if (!present.asText().equals(finalizer)) {
                    remaining.add(present);
                }
            });
            if (remaining.isEmpty()) {
                metadata.putNull("finalizers");
            }
            if (mergePatch(owner, patch) == Outcome.DONE) {
                LOG.atInfo().addKeyValue("object", owner).addKeyValue("finalizer", finalizer)
                        .log("removed the garbage collector's finalizer");
                return;
            }
            Optional<ObjectNode> fresh = client.get(owner.type(), owner.namespace(), owner.name());
            if (fresh.isEmpty() || !Meta.uid(fresh.get()).equals(owner.uid())) {
                return;
            }
            latest = fresh.get();
        }
        throw new IllegalStateException(owner + " kept changing while the " + finalizer + " finalizer was removed");
    }

    private Outcome mergePatch(Scan.Item item, ObjectNode patch) {
        try {
            client.mergePatch(item.type(), item.namespace(), item.name(), "", patch);
            return Outcome.DONE;
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Outcome.DONE;
            }
            if (e.isConflict()) {
                return Outcome.CHANGED;
            }
            throw e;
        }
    }
}
