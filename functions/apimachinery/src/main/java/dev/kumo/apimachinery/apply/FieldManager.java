package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.apply.ManagedFieldsEntry.ManagerKey;
import dev.kumo.apimachinery.patch.schema.GroupVersionKind;
import dev.kumo.apimachinery.patch.schema.MergeSchema;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Server-side apply and field ownership tracking, as Kubernetes' field manager does them: every write
 * records who owns which fields in {@code metadata.managedFields}; an apply merges a partial configuration,
 * refuses to change fields others own unless forced, and removes the fields its applier stopped applying.
 *
 * <p>Instances are immutable and thread-safe.
 */
public final class FieldManager {

    /** The Update manager that owns what an object held before its first apply, when nothing was tracked. */
    public static final String BEFORE_FIRST_APPLY = "before-first-apply";

    /** Fields that are the server's: nobody owns them (Kubernetes strips them from every manager). */
    private static final FieldSet SERVER_FIELDS = FieldSet.of(
            FieldPath.ofFields("apiVersion"),
            FieldPath.ofFields("kind"),
            FieldPath.ofFields("metadata"),
            FieldPath.ofFields("metadata", "name"),
            FieldPath.ofFields("metadata", "namespace"),
            FieldPath.ofFields("metadata", "creationTimestamp"),
            FieldPath.ofFields("metadata", "selfLink"),
            FieldPath.ofFields("metadata", "uid"),
            FieldPath.ofFields("metadata", "clusterName"),
            FieldPath.ofFields("metadata", "generation"),
            FieldPath.ofFields("metadata", "managedFields"),
            FieldPath.ofFields("metadata", "resourceVersion"));

    private final MergeSchema schema;
    private final Clock clock;
    private final IgnoredFields ignoredFields;

    public FieldManager(MergeSchema schema, Clock clock) {
        this(schema, clock, IgnoredFields.none());
    }

    public FieldManager(MergeSchema schema, Clock clock, IgnoredFields ignoredFields) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.ignoredFields = Objects.requireNonNull(ignoredFields, "ignoredFields");
    }

    /** {@link #apply(ObjectNode, ObjectNode, String, String, boolean)} on the main resource. */
    public ApplyResult apply(ObjectNode live, ObjectNode appliedConfig, String manager, boolean force) {
        return apply(live, appliedConfig, manager, "", force);
    }

    /**
     * Applies a configuration.
     *
     * @param live the stored object, or null to create it from the configuration
     * @param appliedConfig the configuration; it must name {@code apiVersion} and {@code kind} and must not
     *     set {@code metadata.managedFields}
     * @param subresource {@code ""} for the main resource
     * @param force take the fields others own instead of failing
     * @throws MalformedApplyConfigurationException if the configuration is not acceptable
     * @throws InvalidManagedFieldsException if the live object's managedFields cannot be read
     */
    public ApplyResult apply(ObjectNode live, ObjectNode appliedConfig, String manager, String subresource,
                             boolean force) {
        Objects.requireNonNull(manager, "manager");
        GroupVersionKind kind = checkConfiguration(live, appliedConfig);
        SchemaNode root = schema.root(kind);
        FieldSet ignored = ignoredFields.ignoredFor(kind, subresource);
        Instant now = clock.instant();

        Managers managers = new Managers(ManagedFields.decode(ObjectMetadata.managedFields(live)));
        ObjectNode before = ObjectMetadata.withoutManagedFields(live);
        if (live != null && managers.isEmpty()) {
            FieldSet existing = owned(ObjectComparator.compare(ObjectMetadata.withoutManagedFields(null), before, root)
                    .without(ignored).changed());
            managers.put(new ManagedFieldsEntry(BEFORE_FIRST_APPLY, Operation.UPDATE, kind.apiVersion(), now, "",
                    existing));
        }

        FieldSet applied = owned(FieldSetCollector.collect(appliedConfig, root).recursiveDifference(ignored));
        ManagerKey self = new ManagerKey(manager, Operation.APPLY, "", subresource);
        ManagedFieldsEntry previous = managers.get(self);
        managers.put(new ManagedFieldsEntry(manager, Operation.APPLY, kind.apiVersion(), now, subresource, applied));

        JsonNode merged = ObjectMerger.merge(before, appliedConfig, root, new FieldPath(List.of()));
        if (previous != null) {
            merged = Pruner.prune(merged, previous.fields(), managers.owned(), root);
        }
        Comparison comparison = ObjectComparator.compare(before, merged, root).without(ignored);
        List<Conflict> conflicts = conflicts(managers, self, comparison.changed());
        if (!conflicts.isEmpty() && !force) {
            return new ApplyResult.Conflicted(conflicts);
        }
        managers.updateOthers(self, fields -> fields.difference(comparison.changed()).difference(comparison.removed()));
        managers.dropEmpty();
        ObjectNode result = (ObjectNode) merged;
        ObjectMetadata.setManagedFields(result, ManagedFields.encode(managers.all()));
        return new ApplyResult.Applied(result);
    }

    /**
     * Records a write that is not an apply (create, update, patch): {@code manager} gains the fields the
     * write added or changed, which other managers lose, and everyone loses the fields it removed. Never
     * fails: if managedFields cannot be read they are dropped, as Kubernetes does.
     *
     * @param old the stored object, or null for a create
     * @param updated the object to store; the managedFields it carries are used if it sets any
     * @param subresource {@code ""} (or null) for the main resource
     * @return a copy of {@code updated} with its managedFields updated
     */
    public ObjectNode recordUpdate(ObjectNode old, ObjectNode updated, String manager, String subresource) {
        Objects.requireNonNull(updated, "updated");
        Objects.requireNonNull(manager, "manager");
        String sub = subresource == null ? "" : subresource;
        GroupVersionKind kind = GroupVersionKind.ofObject(updated).or(() -> GroupVersionKind.ofObject(old))
                .orElseThrow(() -> new IllegalArgumentException("the updated object has no apiVersion and kind"));
        ObjectNode result = ObjectMetadata.withoutManagedFields(updated);
        Managers managers = managersBeforeUpdate(old, updated, !sub.isEmpty());
        if (old != null && managers.isEmpty()) {
            return result;
        }
        SchemaNode root = schema.root(kind);
        Comparison comparison = ObjectComparator.compare(ObjectMetadata.withoutManagedFields(old), result, root)
                .without(ignoredFields.ignoredFor(kind, sub));
        managers.updateOthers(null, fields -> fields.difference(comparison.changed()).difference(comparison.removed()));
        FieldSet changed = owned(comparison.changed());
        if (!changed.isEmpty()) {
            ManagerKey self = new ManagerKey(manager, Operation.UPDATE, kind.apiVersion(), sub);
            ManagedFieldsEntry previous = managers.get(self);
            FieldSet fields = previous == null ? changed : previous.fields().union(changed);
            managers.put(new ManagedFieldsEntry(manager, Operation.UPDATE, kind.apiVersion(), clock.instant(), sub,
                    fields));
        }
        managers.dropEmpty();
        ObjectMetadata.setManagedFields(result, ManagedFields.encode(managers.all()));
        return result;
    }

    /**
     * The managers a write starts from: those the written object carries (a client may edit them, or clear
     * them with {@code [{}]}), else the stored object's. Writes through a subresource always use the stored ones.
     */
    private static Managers managersBeforeUpdate(ObjectNode old, ObjectNode updated, boolean subresource) {
        JsonNode sent = ObjectMetadata.managedFields(updated);
        if (!subresource && ManagedFields.isReset(sent)) {
            return new Managers(List.of());
        }
        if (!subresource && sent != null && sent.isArray() && !sent.isEmpty()) {
            try {
                return new Managers(ManagedFields.decode(sent));
            } catch (InvalidManagedFieldsException e) {
                // fall back to the stored managers, as Kubernetes does
            }
        }
        try {
            return new Managers(ManagedFields.decode(ObjectMetadata.managedFields(old)));
        } catch (InvalidManagedFieldsException e) {
            return new Managers(List.of());
        }
    }

    private static GroupVersionKind checkConfiguration(ObjectNode live, ObjectNode appliedConfig) {
        Objects.requireNonNull(appliedConfig, "appliedConfig");
        GroupVersionKind kind = GroupVersionKind.ofObject(appliedConfig).orElseThrow(() ->
                new MalformedApplyConfigurationException("an apply configuration must set apiVersion and kind"));
        JsonNode managedFields = ObjectMetadata.managedFields(appliedConfig);
        if (managedFields != null && !managedFields.isNull()) {
            throw new MalformedApplyConfigurationException("metadata.managedFields must be nil");
        }
        GroupVersionKind.ofObject(live).ifPresent(liveKind -> {
            if (!liveKind.equals(kind)) {
                throw new MalformedApplyConfigurationException("Incorrect version specified in apply patch. "
                        + "Specified patch version: " + kind.apiVersion() + ", " + kind.kind()
                        + ", expected: " + liveKind.apiVersion() + ", " + liveKind.kind());
            }
        });
        return kind;
    }

    /** The fields of {@code fields} that can be owned: all but the server's. */
    private static FieldSet owned(FieldSet fields) {
        return fields.difference(SERVER_FIELDS);
    }

    /** For each manager but the applier, the changed fields it owns. */
    private static List<Conflict> conflicts(Managers managers, ManagerKey self, FieldSet changed) {
        List<Conflict> conflicts = new ArrayList<>();
        managers.all().stream()
                .filter(entry -> !entry.key().equals(self))
                .sorted(Comparator.comparing(ManagedFieldsEntry::manager)
                        .thenComparing(entry -> entry.operation().wireName())
                        .thenComparing(ManagedFieldsEntry::apiVersion)
                        .thenComparing(ManagedFieldsEntry::subresource))
                .forEach(entry -> entry.fields().intersection(changed).paths().forEach(path ->
                        conflicts.add(new Conflict(entry.manager(), entry.description(), path))));
        return conflicts;
    }
}
