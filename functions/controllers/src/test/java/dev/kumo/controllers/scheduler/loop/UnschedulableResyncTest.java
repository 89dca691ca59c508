package dev.kumo.controllers.scheduler.loop;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class UnschedulableResyncTest {
    private static final TestCluster CLUSTER = new TestCluster();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private static List<ObjectKey> keysAt(Instant tick) {
        return new UnschedulableResync(CLUSTER.scheduler(), Clock.fixed(tick, ZoneOffset.UTC)).keys();
    }

    @Test
    void retriesEachUnschedulablePodEveryFiveMinutesAndLostPodsEveryMinute() throws Exception {
        KubeClient admin = CLUSTER.admin();
        Fixtures.createNode(admin, Fixtures.node("n1", "1", "110"));
        Fixtures.createPod(admin, Fixtures.pod("wide", "4", 0));
        SchedulerLoop.loop(Fixtures.schedulerContext(CLUSTER, Clock.systemUTC()), Duration.ZERO).reconciler()
                .reconcile(Fixtures.key("wide"));
        assertThat(PendingPods.isMarkedUnschedulable(Fixtures.get(admin, "wide"))).isTrue();
        Fixtures.createPod(admin, Fixtures.pod("lost", "100m", 0)); // its key never came
        ObjectNode bound = Fixtures.pod("bound", "100m", 0);
        ((ObjectNode) bound.get("spec")).put("nodeName", "n1");
        Fixtures.createPod(admin, bound);
        ObjectNode foreign = Fixtures.pod("foreign", "100m", 0);
        ((ObjectNode) foreign.get("spec")).put("schedulerName", "my-scheduler");
        Fixtures.createPod(admin, foreign);

        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        assertThat(keysAt(now)).doesNotContain(Fixtures.key("lost")); // just created: its key may be on its way

        List<ObjectKey> overFiveTicks = new ArrayList<>();
        for (int minute = 2; minute < 7; minute++) {
            List<ObjectKey> keys = keysAt(now.plus(Duration.ofMinutes(minute)));
            assertThat(keys).contains(Fixtures.key("lost"))
                    .doesNotContain(Fixtures.key("bound"), Fixtures.key("foreign"));
            overFiveTicks.addAll(keys);
        }
        assertThat(overFiveTicks).filteredOn(Fixtures.key("wide")::equals).hasSize(1);
    }
}
