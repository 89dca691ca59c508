package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;

/**
 * One key for one loop, and what makes this delivery distinct from an identical key sent for another reason
 * ({@code cause}: the resource and revision of the change, the tick, the requeue's due time). Queues drop a second delivery with
 * the same key and cause, so a stream record read twice enqueues its keys once.
 */
public record Delivery(String loop, ObjectKey key, String cause) {
}
