package dev.kumo.apiserver.registry;

import dev.kumo.apimachinery.selection.FieldSelector;
import dev.kumo.apimachinery.selection.LabelSelector;

/**
 * A list or watch request's options.
 *
 * @param resourceVersion      "" (most recent), "0" (any), or a revision
 * @param resourceVersionMatch "", "NotOlderThan" or "Exact"
 */
public record ListRequest(LabelSelector labels, FieldSelector fields, long limit, String continueToken,
                          String resourceVersion, String resourceVersionMatch) {
}
