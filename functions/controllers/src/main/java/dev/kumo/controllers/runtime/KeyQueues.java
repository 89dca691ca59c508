package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;

import java.time.Duration;
import java.util.List;

/**
 * Where keys wait for their loop (SQS in AWS and in the local cluster): one queue per loop that runs one key at a
 * time, and a way to deliver a key later (requeue after).
 */
public interface KeyQueues {
    /** Enqueues the keys now; throws when any of them could not be enqueued (the caller retries them all). */
    void send(List<Delivery> deliveries);

    /** Delivers {@code key} to {@code loop} after {@code delay} (longer than the queue's limit is fine). */
    void sendAfter(String loop, ObjectKey key, Duration delay);
}
