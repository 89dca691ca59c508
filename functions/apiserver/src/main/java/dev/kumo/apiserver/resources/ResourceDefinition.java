package dev.kumo.apiserver.resources;

import dev.kumo.apiserver.strategy.Strategy;
import dev.kumo.apiserver.table.TableConvertor;

import java.util.List;
import java.util.Set;

/**
 * One resource the API serves at one group/version: its names as discovery shows them, whether it is namespaced,
 * its subresources, where it is stored, and the strategy and table columns that make it a Kubernetes kind.
 *
 * @param storageResource the store's resource key; two definitions sharing it (core and events.k8s.io events)
 *                        serve the same objects, converted by {@link #conversion}
 * @param verbs           the verbs served, as discovery advertises them (kubectl decides what it may do from
 *                        them); create-only kinds such as the access reviews serve just {@code create}
 */
public record ResourceDefinition(String group, String version, String plural, String singular, String kind,
                                 boolean namespaced, List<String> shortNames, List<String> categories,
                                 Set<String> subresources, String storageResource, Strategy strategy,
                                 TableConvertor table, Conversion conversion, List<String> verbs) {
    /** The verbs of a stored kind. */
    public static final List<String> ALL_VERBS = List.of("create", "delete", "deletecollection", "get", "list",
            "patch", "update", "watch");
    public static final List<String> CREATE_ONLY = List.of("create");

    public ResourceDefinition {
        shortNames = List.copyOf(shortNames);
        categories = List.copyOf(categories);
        subresources = Set.copyOf(subresources);
        verbs = List.copyOf(verbs);
    }

    /** A stored kind, serving every verb. */
    public ResourceDefinition(String group, String version, String plural, String singular, String kind,
                              boolean namespaced, List<String> shortNames, List<String> categories,
                              Set<String> subresources, String storageResource, Strategy strategy,
                              TableConvertor table, Conversion conversion) {
        this(group, version, plural, singular, kind, namespaced, shortNames, categories, subresources,
                storageResource, strategy, table, conversion, ALL_VERBS);
    }

    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    public String groupVersion() {
        return apiVersion();
    }

    public String listKind() {
        return kind + "List";
    }

    public boolean hasStatus() {
        return subresources.contains("status");
    }

    /** Whether the kind is stored, or only answers creates (the access reviews). */
    public boolean stored() {
        return verbs.contains("get");
    }
}
