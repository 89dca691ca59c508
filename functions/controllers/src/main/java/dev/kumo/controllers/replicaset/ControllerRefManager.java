package dev.kumo.controllers.replicaset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.selection.LabelSelector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Claims the dependents a controller should manage, as Kubernetes' {@code ControllerRefManager}: keeps those it
 * controls that its selector still matches, adopts matching orphans (not while the controller is being deleted,
 * never an object being deleted) and releases those it controls that no longer match. Adopting and releasing are
 * merge patches of {@code ownerReferences} that carry the dependent's resourceVersion, so a concurrent change
 * (another controller adopting the same orphan) fails with a conflict instead of leaving two controllers.
 */
public final class ControllerRefManager {
    private static final Logger LOG = LoggerFactory.getLogger(ControllerRefManager.class);

    /** The kinds of controller and of dependent, e.g. ReplicaSets ({@code apps/v1 ReplicaSet}) claiming pods. */
    public record Kinds(ResourceType controllers, String apiVersion, String kind, ResourceType dependents) {
    }

    private final KubeClient client;
    private final Kinds kinds;
    private final ObjectNode owner;
    private final LabelSelector selector;

    public ControllerRefManager(KubeClient client, Kinds kinds, ObjectNode owner, LabelSelector selector) {
        this.client = client;
        this.kinds = kinds;
        this.owner = owner;
        this.selector = selector;
    }

    /**
     * The start of a controller's sync: the controller {@code namespace/name} as the API has it, with the manager
     * of its dependents; empty, with nothing to do, when it is gone or its selector does not parse (which no retry
     * can fix, so it is skipped as Kubernetes does).
     */
    public static Optional<ControllerRefManager> read(KubeClient client, Kinds kinds, String namespace, String name) {
        Optional<ObjectNode> found = client.get(kinds.controllers(), namespace, name);
        if (found.isEmpty()) {
            LOG.atDebug().addKeyValue(kinds.kind(), namespace + "/" + name).log("gone: nothing to do");
            return Optional.empty();
        }
        return Selectors.of(found.get()).map(selector -> new ControllerRefManager(client, kinds, found.get(), selector));
    }

    /** The controller, as read. */
    public ObjectNode owner() {
        return owner;
    }

    /** The candidates this controller manages after adoption and release (adopted ones as the API returned them). */
    public List<ObjectNode> claim(List<ObjectNode> candidates) {
        List<ObjectNode> claimed = new ArrayList<>();
        for (ObjectNode candidate : candidates) {
            claimOne(candidate, true).ifPresent(claimed::add);
        }
        return claimed;
    }

    private Optional<ObjectNode> claimOne(ObjectNode object, boolean mayRetry) {
        Optional<JsonNode> controller = OwnerReferences.controllerOf(object);
        if (controller.isPresent()) {
            if (!controller.get().path("uid").asText("").equals(Meta.uid(owner))) {
                return Optional.empty(); // someone else's
            }
            if (selector.matches(object)) {
                return Optional.of(object);
            }
            if (!Meta.isBeingDeleted(owner)) {
                release(object);
            }
            return Optional.empty();
        }
        if (Meta.isBeingDeleted(owner) || !selector.matches(object) || Meta.isBeingDeleted(object)
                || !Meta.namespace(owner).equals(Meta.namespace(object))) {
            return Optional.empty();
        }
        return adopt(object, mayRetry);
    }

    /** Makes {@code object} an orphan of this controller's; empty when it changed meanwhile and is not ours. */
    private Optional<ObjectNode> adopt(ObjectNode object, boolean mayRetry) {
        ArrayNode references = client.mapper().createArrayNode();
        object.path("metadata").path("ownerReferences").forEach(references::add);
        references.add(OwnerReferences.controllerRef(owner, kinds.apiVersion(), kinds.kind()));
        try {
            ObjectNode adopted = client.mergePatch(kinds.dependents(), Meta.namespace(object), Meta.name(object), "",
                    OwnerReferences.patch(object, references));
            LOG.atInfo().addKeyValue("controller", kinds.kind() + " " + Meta.namespace(owner) + "/" + Meta.name(owner))
                    .addKeyValue("dependent", kinds.dependents().plural() + " " + Meta.name(object)).log("adopted");
            return Optional.of(adopted);
        } catch (ApiError e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            if (e.isConflict() && mayRetry) {
                // Changed since it was listed (perhaps adopted by a racing sync of this same controller): look again.
                return client.get(kinds.dependents(), Meta.namespace(object), Meta.name(object))
                        .flatMap(fresh -> claimOne(fresh, false));
            }
            if (e.isConflict()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void release(ObjectNode object) {
        ArrayNode references = client.mapper().createArrayNode();
        for (JsonNode reference : object.path("metadata").path("ownerReferences")) {
            if (!reference.path("uid").asText("").equals(Meta.uid(owner))) {
                references.add(reference);
            }
        }
        try {
            client.mergePatch(kinds.dependents(), Meta.namespace(object), Meta.name(object), "",
                    OwnerReferences.patch(object, references));
            LOG.atInfo().addKeyValue("controller", kinds.kind() + " " + Meta.namespace(owner) + "/" + Meta.name(owner))
                    .addKeyValue("dependent", kinds.dependents().plural() + " " + Meta.name(object)).log("released");
        } catch (ApiError e) {
            // Gone, changed meanwhile or refused as invalid: it is not ours either way (Kubernetes ignores these too).
            if (!e.isNotFound() && !e.isConflict() && e.code() != 422) {
                throw e;
            }
        }
    }
}
