package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FanOutTest {
    @Test
    void eachLoopGetsItsKeysOnceWithTheResourceAndRevisionAsTheCause() {
        ObjectKey pod = new ObjectKey("pods", "default", "web-1");
        ObjectKey owner = new ObjectKey("apps/replicasets", "default", "web");
        FanOut fanOut = new FanOut(Map.of("replicaset", change -> List.of(owner, owner),
                "scheduler", change -> List.of(change.key())));

        List<Delivery> deliveries = fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 42, pod, null, 41));

        assertThat(deliveries).containsExactlyInAnyOrder(new Delivery("replicaset", owner, "pods@r42"),
                new Delivery("scheduler", pod, "pods@r42"));
        // The same change read again gives the same deliveries: what lets the queues drop the repeat.
        assertThat(fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 42, pod, null, 41)))
                .containsExactlyInAnyOrderElementsOf(deliveries);
    }

    @Test
    void aMapperThatThrowsCostsOnlyItsOwnLoopTheChange() {
        ObjectKey pod = new ObjectKey("pods", "default", "web-1");
        FanOut fanOut = new FanOut(Map.of("broken", change -> {
            throw new IllegalStateException("a bug in one mapper");
        }, "scheduler", change -> List.of(change.key())));

        assertThat(fanOut.deliveries(new WatchEvent(WatchEvent.Type.ADDED, 7, pod, null, 0)))
                .containsExactly(new Delivery("scheduler", pod, "pods@r7"));
    }

    @Test
    void changesOfTwoResourcesAtTheSameRevisionAreDifferentCauses() {
        // Each resource counts its own revisions: a deployment's r2 and its replica set's r2 both key the
        // deployment, and the queue must not drop the second as a repeat of the first.
        ObjectKey deployment = new ObjectKey("apps/deployments", "default", "web");
        ObjectKey replicaSet = new ObjectKey("apps/replicasets", "default", "web-1");
        FanOut fanOut = new FanOut(Map.of("deployment", change -> List.of(deployment)));

        Delivery own = fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 2, deployment, null, 1)).getFirst();
        Delivery owned = fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 2, replicaSet, null, 1))
                .getFirst();

        assertThat(own.key()).isEqualTo(owned.key());
        assertThat(own.cause()).isNotEqualTo(owned.cause());
    }
}
