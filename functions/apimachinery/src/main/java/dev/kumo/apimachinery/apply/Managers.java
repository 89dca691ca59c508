package dev.kumo.apimachinery.apply;

import dev.kumo.apimachinery.apply.ManagedFieldsEntry.ManagerKey;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** The managers of one object during a write, keyed by manager identity. */
final class Managers {

    private final Map<ManagerKey, ManagedFieldsEntry> entries = new LinkedHashMap<>();

    /** Entries for the same manager are united. */
    Managers(List<ManagedFieldsEntry> decoded) {
        decoded.forEach(entry -> entries.merge(entry.key(), entry,
                (first, second) -> first.withFields(first.fields().union(second.fields()))));
    }

    boolean isEmpty() {
        return entries.isEmpty();
    }

    ManagedFieldsEntry get(ManagerKey key) {
        return entries.get(key);
    }

    void put(ManagedFieldsEntry entry) {
        entries.put(entry.key(), entry);
    }

    Collection<ManagedFieldsEntry> all() {
        return entries.values();
    }

    /** Everything anyone owns. */
    FieldSet owned() {
        return entries.values().stream().map(ManagedFieldsEntry::fields).reduce(FieldSet.empty(), FieldSet::union);
    }

    /** Replaces the fields of every manager but {@code except} (which may be null). */
    void updateOthers(ManagerKey except, UnaryOperator<FieldSet> update) {
        entries.replaceAll((key, entry) -> key.equals(except) ? entry : entry.withFields(update.apply(entry.fields())));
    }

    /** Managers that own nothing are forgotten. */
    void dropEmpty() {
        entries.values().removeIf(entry -> entry.fields().isEmpty());
    }
}
