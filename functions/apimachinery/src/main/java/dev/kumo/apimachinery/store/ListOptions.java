package dev.kumo.apimachinery.store;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Predicate;

/**
 * How to list one resource.
 *
 * @param namespace      only this namespace; empty for all namespaces (and for cluster-scoped resources)
 * @param limit          at most this many items per page; 0 for all
 * @param continueToken  the token of the previous page, or null
 * @param revision       0 for the latest state; otherwise the state at exactly this revision
 * @param filter         items must match (label and field selectors); the limit counts matching items
 */
public record ListOptions(String namespace, long limit, String continueToken, long revision,
                          Predicate<ObjectNode> filter) {

    public ListOptions {
        namespace = namespace == null ? "" : namespace;
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative");
        }
        filter = filter == null ? o -> true : filter;
    }

    public static ListOptions all(String namespace) {
        return new ListOptions(namespace, 0, null, 0, null);
    }
}
