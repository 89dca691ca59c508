package dev.kumo.apimachinery.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * A set of named quantities ({@code corev1.ResourceList}) with the arithmetic quota and limit ranges need, after
 * Kubernetes' {@code quota/v1} helpers. Immutable; names are kept sorted, which is the order messages print them in.
 */
public final class ResourceList {
    public static final ResourceList EMPTY = new ResourceList(new TreeMap<>());

    private final SortedMap<String, Quantity> quantities;

    private ResourceList(SortedMap<String, Quantity> quantities) {
        this.quantities = Collections.unmodifiableSortedMap(quantities);
    }

    public static ResourceList of(Map<String, Quantity> quantities) {
        return new ResourceList(new TreeMap<>(quantities));
    }

    /** Reads a JSON map of quantities; a value that is not a well-formed quantity fails with its name. */
    public static ResourceList fromJson(JsonNode map) {
        TreeMap<String, Quantity> result = new TreeMap<>();
        map.fields().forEachRemaining(entry -> {
            try {
                result.put(entry.getKey(), Quantity.parse(entry.getValue().asText()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(entry.getKey() + ": " + e.getMessage(), e);
            }
        });
        return new ResourceList(result);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        quantities.forEach((name, quantity) -> json.put(name, quantity.toString()));
        return json;
    }

    public Map<String, Quantity> asMap() {
        return quantities;
    }

    public Quantity get(String name) {
        return quantities.get(name);
    }

    public boolean has(String name) {
        return quantities.containsKey(name);
    }

    public boolean isEmpty() {
        return quantities.isEmpty();
    }

    public java.util.Set<String> names() {
        return quantities.keySet();
    }

    public ResourceList with(String name, Quantity quantity) {
        TreeMap<String, Quantity> result = new TreeMap<>(quantities);
        result.put(name, quantity);
        return new ResourceList(result);
    }

    /** Every name of both; a name missing on one side counts as zero. */
    public ResourceList add(ResourceList other) {
        TreeMap<String, Quantity> result = new TreeMap<>(quantities);
        other.quantities.forEach((name, quantity) -> result.merge(name, quantity, Quantity::add));
        return new ResourceList(result);
    }

    /** This minus other, per name; names only in other are dropped, results below zero become zero. */
    public ResourceList subtractWithNonNegativeResult(ResourceList other) {
        TreeMap<String, Quantity> result = new TreeMap<>();
        quantities.forEach((name, quantity) -> {
            Quantity subtrahend = other.quantities.get(name);
            Quantity difference = subtrahend == null ? quantity : quantity.subtract(subtrahend);
            result.put(name, difference.signum() < 0 ? Quantity.ZERO : difference);
        });
        return new ResourceList(result);
    }

    /** For each name, the larger of both (a name missing on one side takes the other's value). */
    public ResourceList max(ResourceList other) {
        TreeMap<String, Quantity> result = new TreeMap<>(quantities);
        other.quantities.forEach((name, quantity) -> result.merge(name, quantity,
                (mine, theirs) -> theirs.compareTo(mine) > 0 ? theirs : mine));
        return new ResourceList(result);
    }

    /** Only the given names. */
    public ResourceList mask(Collection<String> names) {
        TreeMap<String, Quantity> result = new TreeMap<>(quantities);
        result.keySet().retainAll(names);
        return new ResourceList(result);
    }

    public ResourceList removeZeros() {
        TreeMap<String, Quantity> result = new TreeMap<>(quantities);
        result.values().removeIf(Quantity::isZero);
        return new ResourceList(result);
    }

    /** The names whose quantity is below zero. */
    public java.util.List<String> negativeNames() {
        return quantities.entrySet().stream().filter(e -> e.getValue().signum() < 0).map(Map.Entry::getKey).toList();
    }

    /**
     * The names where this exceeds {@code limits}; names {@code limits} lacks are not limited (Kubernetes'
     * {@code LessThanOrEqual}).
     */
    public java.util.List<String> exceeding(ResourceList limits) {
        return quantities.entrySet().stream()
                .filter(e -> limits.has(e.getKey()) && e.getValue().compareTo(limits.get(e.getKey())) > 0)
                .map(Map.Entry::getKey).toList();
    }

    /** {@code name=value,...} sorted by name, as quota messages print a list. */
    public String prettyPrint() {
        StringJoiner joined = new StringJoiner(",");
        quantities.forEach((name, quantity) -> joined.add(name + "=" + quantity));
        return joined.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ResourceList other && quantities.equals(other.quantities);
    }

    @Override
    public int hashCode() {
        return quantities.hashCode();
    }

    @Override
    public String toString() {
        return prettyPrint();
    }
}
