package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.admission.AdmissionPlugin;
import dev.kumo.apiserver.admission.AdmissionRequest;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ListOptions;
import dev.kumo.apimachinery.store.ListPage;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.Store;
import dev.kumo.apimachinery.store.StoreException;
import dev.kumo.apimachinery.store.StoredObject;
import dev.kumo.apimachinery.store.StoredRecord;
import dev.kumo.apiserver.errors.ApiException;
import dev.kumo.apiserver.errors.FieldError;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * One generic store for every kind, after Kubernetes' {@code registry.Store}: the shared rules run in a fixed order
 * around each kind's {@link dev.kumo.apiserver.strategy.Strategy}, and store outcomes become Kubernetes errors.
 * Objects are served in the definition's version and stored in the storage form its conversion gives.
 */
public final class GenericRegistry {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GenericRegistry.class);
    private static final int MAX_UPDATE_ATTEMPTS = 8;
    private static final int MAX_RECORD_ATTEMPTS = 32;

    private final Store store;
    private final ObjectMapper mapper;
    private final MetadataRules metadataRules;
    private final NamespaceLifecycle namespaces;
    private final FieldManagement fields;
    private final Map<String, Allocations> allocations;
    private final AdmissionPlugin admission;
    private final List<WriteListener> listeners = new CopyOnWriteArrayList<>();

    public GenericRegistry(Store store, ObjectMapper mapper, Clock clock, FieldManagement fields,
                           Map<String, Allocations> allocationsByStorageResource, AdmissionPlugin admission) {
        this.store = store;
        this.admission = admission;
        this.mapper = mapper;
        this.fields = fields;
        this.allocations = Map.copyOf(allocationsByStorageResource);
        this.metadataRules = new MetadataRules(clock);
        this.namespaces = new NamespaceLifecycle(store, clock);
    }

    /**
     * Runs admission (mutating, then validating) for a write that creates nothing stored, such as a TokenRequest
     * (Kubernetes admits those as a create of the subresource).
     */
    public void admit(AdmissionRequest request) {
        admission.admit(request);
        admission.validate(request);
    }

    public Store store() {
        return store;
    }

    /** Adds a listener told about every committed write from now on. */
    public void addListener(WriteListener listener) {
        listeners.add(listener);
    }

    private void notify(String what, ObjectNode object, java.util.function.Consumer<WriteListener> call) {
        for (WriteListener listener : listeners) {
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                // The write is done; what reacts to it is repaired by the control loops' periodic resync.
                LOG.atError().setCause(e).addKeyValue("event", what).addKeyValue("kind", object.path("kind").asText())
                        .addKeyValue("namespace", Meta.namespace(object)).addKeyValue("name", Meta.name(object))
                        .addKeyValue("listener", listener.getClass().getSimpleName()).log("write listener failed");
            }
        }
    }

    public ObjectNode create(ResourceDefinition def, String namespace, ObjectNode object, WriteOptions options) {
        checkKind(def, object);
        ObjectNode metadata = Meta.of(object);
        if (def.namespaced()) {
            String bodyNamespace = metadata.path("namespace").asText("");
            if (!bodyNamespace.isEmpty() && !bodyNamespace.equals(namespace)) {
                throw ApiException.badRequest("the namespace of the provided object (" + bodyNamespace
                        + ") does not match the namespace sent on the request (" + namespace + ")");
            }
            metadata.put("namespace", namespace);
            namespaces.requireActive(def, object, namespace);
        }
        metadataRules.prepareForCreate(object);
        if (def.strategy().tracksGeneration()) {
            metadata.put("generation", 1);
        }
        // Kubernetes' order: decoding defaults, mutating admission, then the strategy (status, derived fields).
        def.strategy().applyDefaults(object);
        AdmissionRequest admitted = new AdmissionRequest(AdmissionRequest.Operation.CREATE, def, namespace,
                Meta.name(object), "", object, null, options.user(), options.dryRun());
        admission.admit(admitted);
        def.strategy().prepareForCreate(object);
        requireValid(def, object, metadataRules.validate(object, def.namespaced(), def.strategy()),
                def.strategy().validate(object));
        admission.validate(admitted);
        if (!options.applied()) {
            object = fields.recordUpdate(null, object, options.fieldManager(), "");
        }
        if (options.dryRun()) {
            return object;
        }
        ObjectKey key = key(def, namespace, Meta.name(object));
        Allocations held = allocationsOf(def);
        try {
            held.allocate(object);
        } catch (RuntimeException e) {
            createFailed(def, object);
            throw e;
        }
        ObjectNode created;
        try {
            created = served(def, store.create(key, def.conversion().toStorage(object)));
        } catch (StoreException e) {
            held.release(object);
            createFailed(def, object);
            throw Errors.from(def, key, e);
        } catch (RuntimeException e) {
            held.release(object);
            createFailed(def, object);
            throw e;
        }
        notify("created", created, listener -> listener.created(def, created));
        return created;
    }

    /** Admission passed (and may have charged a quota for the object), but the object was not written. */
    private void createFailed(ResourceDefinition def, ObjectNode object) {
        notify("createFailed", object, listener -> listener.createFailed(def, object));
    }

    private Allocations allocationsOf(ResourceDefinition def) {
        return allocations.getOrDefault(def.storageResource(), Allocations.NONE);
    }

    public ObjectNode get(ResourceDefinition def, String namespace, String name) {
        ObjectKey key = key(def, namespace, name);
        Optional<StoredObject> stored;
        try {
            stored = store.get(key);
        } catch (StoreException e) {
            throw Errors.from(def, key, e);
        }
        return stored.map(object -> served(def, object))
                .orElseThrow(() -> ApiException.notFound(def.group(), def.kind(), def.plural(), name));
    }

    /** A list object ({@code <Kind>List}) with items in the served version. */
    public ObjectNode list(ResourceDefinition def, String namespace, ListRequest request,
                           Predicate<ObjectNode> filter) {
        ListPage page = listPage(def, namespace, request, filter);
        ObjectNode list = mapper.createObjectNode();
        list.put("kind", def.listKind()).put("apiVersion", def.apiVersion());
        ObjectNode metadata = list.putObject("metadata");
        metadata.put("resourceVersion", Long.toString(page.revision()));
        if (page.continueToken() != null) {
            metadata.put("continue", page.continueToken());
        }
        ArrayNode items = list.putArray("items");
        page.items().forEach(item -> items.add(served(def, item)));
        return list;
    }

    public ListPage listPage(ResourceDefinition def, String namespace, ListRequest request,
                             Predicate<ObjectNode> filter) {
        long revision = 0;
        String rv = request.resourceVersion();
        if ("Exact".equals(request.resourceVersionMatch())) {
            revision = parseResourceVersion(rv);
        } else if (rv != null && !rv.isEmpty() && !rv.equals("0")) {
            long notOlderThan = parseResourceVersion(rv);
            long current = store.currentRevision(def.storageResource());
            if (notOlderThan > current) {
                throw ApiException.timeout("Too large resource version: " + notOlderThan + ", current: " + current,
                        1);
            }
        }
        ListOptions options = new ListOptions(def.namespaced() ? namespace : "", request.limit(),
                emptyToNull(request.continueToken()), revision,
                stored -> filter.test(def.conversion().fromStorage(stored)));
        try {
            return store.list(def.storageResource(), options);
        } catch (StoreException e) {
            throw Errors.from(def, null, e);
        }
    }

    /**
     * Replaces the object (PUT), or only its status or spec half for subresources. A missing resourceVersion in the
     * body means an unconditional update, as Kubernetes allows for these kinds.
     */
    public ObjectNode update(ResourceDefinition def, String namespace, String name, String subresource,
                             ObjectNode object, WriteOptions options) {
        checkKind(def, object);
        String bodyName = Meta.name(object);
        if (!bodyName.isEmpty() && !bodyName.equals(name)) {
            throw ApiException.badRequest("the name of the object (" + bodyName + ") does not match the name on the "
                    + "URL (" + name + ")");
        }
        String expected = Meta.resourceVersion(object);
        return guaranteedUpdate(def, namespace, name, subresource, options,
                expected.isEmpty() ? null : expected, current -> object.deepCopy());
    }

    /**
     * Reads the object, computes its new state with {@code change}, applies the update rules and writes it if it
     * is still at the revision read; retries on a conflict unless the caller pinned a resourceVersion.
     */
    public ObjectNode guaranteedUpdate(ResourceDefinition def, String namespace, String name, String subresource,
                                      WriteOptions options, String pinnedVersion, UnaryOperator<ObjectNode> change) {
        ObjectKey key = key(def, namespace, name);
        for (int attempt = 1; ; attempt++) {
            StoredObject current = store.get(key)
                    .orElseThrow(() -> ApiException.notFound(def.group(), def.kind(), def.plural(), name));
            ObjectNode old = served(def, current);
            if (pinnedVersion != null && !pinnedVersion.equals(Meta.resourceVersion(old))) {
                throw ApiException.conflict(def.group(), def.plural(), name,
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            ObjectNode updated = change.apply(old.deepCopy());
            String changedVersion = Meta.resourceVersion(updated);
            if (pinnedVersion == null && !changedVersion.isEmpty() && !changedVersion.equals(Meta.resourceVersion(old))) {
                // The change itself (e.g. a JSON patch) names a version: that is a precondition.
                throw ApiException.conflict(def.group(), def.plural(), name,
                        "the object has been modified; please apply your changes to the latest version and try again");
            }
            ObjectNode next = prepareUpdate(def, subresource, updated, old, options);
            boolean unchanged = options.applied()
                    ? next.equals(old) // an apply may change only who owns what, which must be kept
                    : withoutManagedFields(next).equals(withoutManagedFields(old));
            if (unchanged) {
                return old; // nothing changed: no write, no new resourceVersion
            }
            if (!options.applied()) {
                next = fields.recordUpdate(old, next, options.fieldManager(), fieldSubresource(subresource));
            }
            if (options.dryRun()) {
                return next;
            }
            try {
                if (Meta.isBeingDeleted(next) && !Meta.hasFinalizers(next) && gracePeriodOver(old)
                        && NamespaceTermination.mayCompleteDeletion(def, next)) {
                    // The last finalizer is gone: the deletion completes now. Not while a graceful deletion runs
                    // (a pod whose node is stopping it): its node's status writes must not delete it; the node's
                    // final delete (grace period 0) does.
                    ObjectNode deleted = served(def, store.delete(key, current.revision()));
                    allocationsOf(def).release(old);
                    notify("deleted", deleted, listener -> listener.deleted(def, deleted));
                    return deleted;
                }
                ObjectNode written = writeUpdate(def, key, current.revision(), next, old);
                notify("updated", written, listener -> listener.updated(def, written, old));
                return written;
            } catch (StoreException.Conflict conflict) {
                if (pinnedVersion != null || attempt >= MAX_UPDATE_ATTEMPTS || !conflict.key.equals(key)) {
                    throw Errors.from(def, key, conflict);
                }
            } catch (StoreException e) {
                throw Errors.from(def, key, e);
            }
        }
    }

    /**
     * Writes an update at {@code revision} with what its allocations reserve. A reservation written in the same
     * transaction (a node's record, for a binding) that moved on meanwhile is no conflict of this object, which
     * was still at {@code revision}: only the reservation is made again, on a fresh read of its record, as often
     * as a busy node needs; the object is not read, changed and admitted again.
     */
    private ObjectNode writeUpdate(ResourceDefinition def, ObjectKey key, long revision, ObjectNode next,
                                   ObjectNode old) {
        ObjectNode storage = def.conversion().toStorage(next);
        for (int attempt = 1; ; attempt++) {
            Optional<StoredRecord.Write> alongside = allocationsOf(def).reallocateWithUpdate(next, old);
            try {
                return served(def, alongside.isPresent() ? store.update(key, storage, revision, alongside.get())
                        : store.update(key, storage, revision));
            } catch (RuntimeException notWritten) {
                boolean onlyTheRecordMoved = alongside.isPresent()
                        && notWritten instanceof StoreException.Conflict conflict && !conflict.key.equals(key);
                if (onlyTheRecordMoved && attempt < MAX_RECORD_ATTEMPTS) {
                    continue;
                }
                if (alongside.isEmpty()) {
                    allocationsOf(def).undo(next, old); // a retry reserves again if it still needs to
                }
                throw notWritten;
            }
        }
    }

    private ObjectNode prepareUpdate(ResourceDefinition def, String subresource, ObjectNode updated, ObjectNode old,
                                     WriteOptions options) {
        checkKind(def, updated);
        ObjectNode next;
        if ("binding".equals(subresource) || "finalize".equals(subresource)) {
            // Subresources that set fields the main resource may not (spec.nodeName with its PodScheduled
            // condition; spec.finalizers of a namespace): only the metadata rules apply.
            next = updated;
            metadataRules.prepareForUpdate(next, old);
        } else if ("status".equals(subresource)) {
            // The status subresource changes status only: everything else comes from the stored object.
            next = old.deepCopy();
            if (updated.has("status")) {
                next.set("status", updated.get("status"));
            } else {
                next.remove("status");
            }
        } else {
            next = updated;
            Meta.of(next).put("name", Meta.name(old));
            if (def.namespaced()) {
                Meta.of(next).put("namespace", Meta.namespace(old));
            }
            metadataRules.prepareForUpdate(next, old);
            if (def.hasStatus()) {
                if (old.has("status")) {
                    next.set("status", old.get("status"));
                } else {
                    next.remove("status");
                }
            }
            def.strategy().applyDefaults(next);
            def.strategy().prepareForUpdate(next, old);
            if (def.strategy().tracksGeneration() && !desiredState(next).equals(desiredState(old))) {
                Meta.of(next).put("generation", old.path("metadata").path("generation").asLong(0) + 1);
            }
        }
        Meta.of(next).put("resourceVersion", Meta.resourceVersion(old));
        AdmissionRequest admitted = new AdmissionRequest(AdmissionRequest.Operation.UPDATE, def,
                Meta.namespace(old), Meta.name(old), subresource, next, old, options.user(), options.dryRun());
        admission.admit(admitted);
        requireValid(def, next, metadataRules.validate(next, def.namespaced(), def.strategy()),
                def.strategy().validateUpdate(next, old));
        admission.validate(admitted);
        return next;
    }

    /** Deletes now, or marks for deletion when finalizers (or foreground deletion) must run first. */
    public DeleteResult delete(ResourceDefinition def, String namespace, String name, DeleteOptions options) {
        ObjectKey key = key(def, namespace, name);
        for (int attempt = 1; ; attempt++) {
            StoredObject current = store.get(key)
                    .orElseThrow(() -> ApiException.notFound(def.group(), def.kind(), def.plural(), name));
            ObjectNode object = served(def, current);
            checkPreconditions(def, name, object, options);
            namespaces.checkDelete(def, name);
            AdmissionRequest admitted = new AdmissionRequest(AdmissionRequest.Operation.DELETE, def, namespace, name,
                    "", null, object, options.user(), options.dryRun());
            admission.admit(admitted);
            admission.validate(admitted);
            List<String> finalizers = finalizersAfterDelete(def, object, options);
            boolean graceful = def.strategy() instanceof GracefulDeletion g && g.needsGracefulDeletion(object, options);
            boolean isNamespace = NamespaceTermination.isNamespace(def);
            try {
                if (finalizers.isEmpty() && !graceful && !NamespaceTermination.deleteMarksOnly(def, object)) {
                    if (options.dryRun()) {
                        return new DeleteResult(object, true);
                    }
                    ObjectNode deleted = served(def, store.delete(key, current.revision()));
                    allocationsOf(def).release(object);
                    notify("deleted", deleted, listener -> listener.deleted(def, deleted));
                    return new DeleteResult(deleted, true);
                }
                ObjectNode marked = object.deepCopy();
                ObjectNode metadata = Meta.of(marked);
                long period = graceful ? ((GracefulDeletion) def.strategy()).gracePeriodSeconds(object, options) : 0;
                if (!metadata.has("deletionTimestamp")) {
                    // As in Kubernetes, the timestamp is when the grace period ends, not when deletion was asked.
                    metadata.put("deletionTimestamp", Instant.parse(metadataRules.now()).plusSeconds(period).toString());
                    if (!isNamespace) { // kube-apiserver leaves a namespace's grace period unset
                        metadata.put("deletionGracePeriodSeconds", period);
                    }
                } else if (period < metadata.path("deletionGracePeriodSeconds").asLong(0)) {
                    // Kubernetes' BeforeDelete: a pending deletion's grace period may only be shortened, and its
                    // deadline moves with it.
                    Instant deadline = Instant.parse(metadata.path("deletionTimestamp").asText())
                            .minusSeconds(metadata.path("deletionGracePeriodSeconds").asLong(0)).plusSeconds(period);
                    metadata.put("deletionTimestamp", deadline.toString());
                    metadata.put("deletionGracePeriodSeconds", period);
                }
                if (isNamespace) {
                    NamespaceTermination.markTerminating(marked);
                }
                ArrayNode finalizerArray = metadata.putArray("finalizers");
                finalizers.forEach(finalizerArray::add);
                if (finalizers.isEmpty()) {
                    metadata.remove("finalizers");
                }
                if (marked.equals(object) || options.dryRun()) {
                    return new DeleteResult(marked, false);
                }
                ObjectNode written = served(def, store.update(key, def.conversion().toStorage(marked),
                        current.revision()));
                notify("updated", written, listener -> listener.updated(def, written, object));
                return new DeleteResult(written, false);
            } catch (StoreException.Conflict conflict) {
                if (options.preconditionVersion() != null || attempt >= MAX_UPDATE_ATTEMPTS) {
                    throw Errors.from(def, key, conflict);
                }
            } catch (StoreException e) {
                throw Errors.from(def, key, e);
            }
        }
    }

    /** The outcome of a delete: the object, and whether it is gone (200) or only marked (202). */
    public record DeleteResult(ObjectNode object, boolean deleted) {
    }

    private static List<String> finalizersAfterDelete(ResourceDefinition def, ObjectNode object,
                                                      DeleteOptions options) {
        List<String> finalizers = new ArrayList<>();
        object.path("metadata").path("finalizers").forEach(f -> finalizers.add(f.asText()));
        String policy = options.propagationPolicy();
        if ("Orphan".equals(policy)) {
            finalizers.remove("foregroundDeletion");
            if (!finalizers.contains("orphan")) {
                finalizers.add("orphan");
            }
        } else if ("Foreground".equals(policy)) {
            finalizers.remove("orphan");
            if (!finalizers.contains("foregroundDeletion")) {
                finalizers.add("foregroundDeletion");
            }
        } else if ("Background".equals(policy)) {
            finalizers.remove("orphan");
            finalizers.remove("foregroundDeletion");
        }
        return finalizers;
    }

    private static void checkPreconditions(ResourceDefinition def, String name, ObjectNode object,
                                           DeleteOptions options) {
        if (options.preconditionUid() != null && !options.preconditionUid().equals(Meta.uid(object))) {
            throw ApiException.conflict(def.group(), def.plural(), name, "Precondition failed: UID in precondition: "
                    + options.preconditionUid() + ", UID in object meta: " + Meta.uid(object));
        }
        if (options.preconditionVersion() != null
                && !options.preconditionVersion().equals(Meta.resourceVersion(object))) {
            throw ApiException.conflict(def.group(), def.plural(), name,
                    "Precondition failed: ResourceVersion in precondition: " + options.preconditionVersion()
                            + ", ResourceVersion in object meta: " + Meta.resourceVersion(object));
        }
    }

    /** The object as served: converted from storage, with the definition's apiVersion and kind. */
    public ObjectNode served(ResourceDefinition def, StoredObject stored) {
        return served(def, stored.value());
    }

    public ObjectNode served(ResourceDefinition def, ObjectNode storedValue) {
        ObjectNode object = def.conversion().fromStorage(storedValue.deepCopy());
        ObjectNode ordered = mapper.createObjectNode();
        ordered.put("kind", def.kind()).put("apiVersion", def.apiVersion());
        object.fields().forEachRemaining(field -> {
            if (!field.getKey().equals("kind") && !field.getKey().equals("apiVersion")) {
                ordered.set(field.getKey(), field.getValue());
            }
        });
        return ordered;
    }

    /** The values a field selector may name for this object. */
    public static Map<String, String> selectableFields(ResourceDefinition def, ObjectNode object) {
        Map<String, String> fields = new HashMap<>(def.strategy().selectableFields(object));
        fields.put("metadata.name", Meta.name(object));
        if (def.namespaced()) {
            fields.put("metadata.namespace", Meta.namespace(object));
        }
        return fields;
    }

    public ObjectKey key(ResourceDefinition def, String namespace, String name) {
        return new ObjectKey(def.storageResource(), def.namespaced() ? namespace : "", name);
    }

    public Optional<ObjectNode> find(ResourceDefinition def, String namespace, String name) {
        return store.get(key(def, namespace, name)).map(stored -> served(def, stored));
    }

    /** No graceful deletion is pending: none was asked for, or its grace period was cut to 0. */
    private static boolean gracePeriodOver(ObjectNode object) {
        return object.path("metadata").path("deletionGracePeriodSeconds").asLong(0) == 0;
    }

    private static JsonNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        Meta.of(copy).remove("managedFields");
        return copy;
    }

    /** Field ownership knows the status subresource; binding and finalize act on the main resource's fields. */
    private static String fieldSubresource(String subresource) {
        return "status".equals(subresource) ? "status" : "";
    }

    public FieldManagement fieldManagement() {
        return fields;
    }

    private static JsonNode desiredState(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        copy.remove(List.of("metadata", "status", "kind", "apiVersion"));
        return copy;
    }

    /** Refuses a body of another kind or version; fills in the definition's when the body names none. */
    public static void checkKind(ResourceDefinition def, ObjectNode object) {
        String kind = object.path("kind").asText("");
        String apiVersion = object.path("apiVersion").asText("");
        if (!kind.isEmpty() && !kind.equals(def.kind())) {
            throw ApiException.badRequest("the kind of the provided object (" + kind + ") does not match the "
                    + "resource " + def.plural() + " (" + def.kind() + ")");
        }
        if (!apiVersion.isEmpty() && !apiVersion.equals(def.apiVersion())) {
            throw ApiException.badRequest("the API version in the data (" + apiVersion + ") does not match the "
                    + "expected API version (" + def.apiVersion() + ")");
        }
        object.put("kind", def.kind()).put("apiVersion", def.apiVersion());
    }

    @SafeVarargs
    private static void requireValid(ResourceDefinition def, ObjectNode object, List<FieldError>... errorLists) {
        List<FieldError> all = new ArrayList<>();
        for (List<FieldError> errors : errorLists) {
            all.addAll(errors);
        }
        if (!all.isEmpty()) {
            String name = Meta.name(object);
            throw ApiException.invalid(def.group(), def.kind(), name.isEmpty()
                    ? object.path("metadata").path("generateName").asText("") : name, all);
        }
    }

    private static long parseResourceVersion(String rv) {
        try {
            long value = Long.parseLong(rv);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid resource version \"" + rv + "\": must be a non-negative integer");
        }
    }

    private static String emptyToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
