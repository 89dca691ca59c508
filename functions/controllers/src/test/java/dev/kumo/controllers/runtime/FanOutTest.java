package dev.kumo.controllers.runtime;

import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.apimachinery.store.WatchEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class FanOutTest {
    @Test
    void eachLoopGetsItsKeysOnceWithTheRevisionAsTheCause() {
        ObjectKey pod = new ObjectKey("pods", "default", "web-1");
        ObjectKey owner = new ObjectKey("apps/replicasets", "default", "web");
        FanOut fanOut = new FanOut(Map.of("replicaset", change -> List.of(owner, owner),
                "scheduler", change -> List.of(change.key())));

        List<Delivery> deliveries = fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 42, pod, null, 41));

        assertThat(deliveries).containsExactlyInAnyOrder(new Delivery("replicaset", owner, "pods@42"),
                new Delivery("scheduler", pod, "pods@42"));
        // The same change read again gives the same deliveries: what lets the queues drop the repeat.
        assertThat(fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 42, pod, null, 41)))
                .containsExactlyInAnyOrderElementsOf(deliveries);
    }

    /**
     * Each resource has its own revisions: a deployment's revision 2 and its replica set's revision 2 both call for
     * the deployment, and the second must not be taken for a repeat of the first (the queues drop repeats).
     */
    @Test
    void theSameRevisionOfTwoResourcesIsTwoCauses() {
        ObjectKey deployment = new ObjectKey("apps/deployments", "default", "web");
        ObjectKey replicaSet = new ObjectKey("apps/replicasets", "default", "web-1");
        FanOut fanOut = new FanOut(Map.of("deployment", change -> List.of(deployment)));

        Delivery fromDeployment = fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 2, deployment, null, 1))
                .getFirst();
        Delivery fromReplicaSet = fanOut.deliveries(new WatchEvent(WatchEvent.Type.MODIFIED, 2, replicaSet, null, 1))
                .getFirst();

        assertThat(fromDeployment.key()).isEqualTo(fromReplicaSet.key());
        assertThat(fromDeployment.cause()).isNotEqualTo(fromReplicaSet.cause());
    }

    @Test
    void aMapperThatThrowsCostsOnlyItsOwnLoopTheChange() {
        ObjectKey pod = new ObjectKey("pods", "default", "web-1");
        FanOut fanOut = new FanOut(Map.of("broken", change -> {
            throw new IllegalStateException("a bug in one mapper");
        }, "scheduler", change -> List.of(change.key())));

        assertThat(fanOut.deliveries(new WatchEvent(WatchEvent.Type.ADDED, 7, pod, null, 0)))
                .containsExactly(new Delivery("scheduler", pod, "pods@7"));
    }
}
