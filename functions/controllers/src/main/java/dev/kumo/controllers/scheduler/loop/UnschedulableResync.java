package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.runtime.ResyncSource;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * The minute tick's keys: pods that should have been looked at by now, as kube-scheduler's queue flushes do.
 * <ul>
 *   <li>A pod marked Unschedulable is retried every {@link #UNSCHEDULABLE_RETRY} (kube-scheduler's
 *       {@code podMaxInUnschedulablePodsDuration}): each pod on the tick its uid falls on, so that the retries of
 *       many such pods spread over the ticks instead of arriving together.</li>
 *   <li>A pod of ours with no verdict yet that is older than {@link #UNSEEN_GRACE} lost its key (or keeps failing):
 *       it is looked at on every tick.</li>
 * </ul>
 */
public final class UnschedulableResync implements ResyncSource {
    static final Duration UNSCHEDULABLE_RETRY = Duration.ofMinutes(5);
    static final Duration UNSEEN_GRACE = Duration.ofMinutes(1);
    private static final long TICKS_PER_RETRY = UNSCHEDULABLE_RETRY.toMinutes();

    private final KubeClient client;
    private final Clock clock;

    public UnschedulableResync(KubeClient client, Clock clock) {
        this.client = client;
        this.clock = clock;
    }

    @Override
    public List<ObjectKey> keys() {
        Instant now = clock.instant();
        long tick = ResyncSource.tick(now);
        List<ObjectKey> keys = new ArrayList<>();
        for (ObjectNode pod : client.list(ResourceType.PODS, "", "", PendingPods.FIELD_SELECTOR)) {
            if (!PendingPods.isOurs(pod)) {
                continue;
            }
            boolean due = PendingPods.isMarkedUnschedulable(pod)
                    ? Math.floorMod(Meta.uid(pod).hashCode(), TICKS_PER_RETRY) == Math.floorMod(tick, TICKS_PER_RETRY)
                    : createdBefore(pod, now.minus(UNSEEN_GRACE));
            if (due) {
                keys.add(new ObjectKey(ResourceType.PODS.storageResource(), Meta.namespace(pod), Meta.name(pod)));
            }
        }
        return keys;
    }

    private static boolean createdBefore(ObjectNode pod, Instant instant) {
        try {
            return Instant.parse(pod.path("metadata").path("creationTimestamp").asText()).isBefore(instant);
        } catch (DateTimeParseException e) {
            return true; // no readable creation time: look at it rather than never
        }
    }
}
