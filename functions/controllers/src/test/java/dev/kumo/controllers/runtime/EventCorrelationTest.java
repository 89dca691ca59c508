package dev.kumo.controllers.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.MutableClock;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EventCorrelationTest {
    private static final TestCluster CLUSTER = new TestCluster();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    private static ObjectNode pod(KubeClient admin, String name) {
        return admin.create(ResourceType.PODS, "default", TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s"},
                 "spec":{"containers":[{"name":"c","image":"nginx"}]}}""".formatted(name)));
    }

    @Test
    void similarEventsBeyondTenAreCombinedIntoOneWhoseCountGrows() {
        KubeClient admin = CLUSTER.admin();
        ObjectNode owner = pod(admin, "combined");
        EventRecorder recorder = new EventRecorder(CLUSTER.controllerManager(), "replicaset-controller",
                new MutableClock(Instant.parse("2024-06-01T12:00:00Z")));

        for (int i = 1; i <= 15; i++) {
            recorder.normal(owner, "SuccessfulCreate", "Created pod: web-" + i);
        }

        List<ObjectNode> events = admin.list(ResourceType.EVENTS, "default", "", "involvedObject.name=combined");
        assertThat(events).hasSize(11);
        ObjectNode combined = events.stream()
                .filter(e -> e.path("message").asText().startsWith("(combined from similar events): "))
                .findFirst().orElseThrow();
        assertThat(combined.path("message").asText())
                .isEqualTo("(combined from similar events): Created pod: web-15");
        assertThat(combined.path("count").asInt()).isEqualTo(5);
    }

    @Test
    void atMost25EventsAboutOneObjectInABurstThenOneEveryFiveMinutes() {
        KubeClient admin = CLUSTER.admin();
        ObjectNode owner = pod(admin, "spammy");
        MutableClock clock = new MutableClock(Instant.parse("2024-06-01T12:00:00Z"));
        EventRecorder recorder = new EventRecorder(CLUSTER.controllerManager(), "replicaset-controller", clock);

        for (int i = 0; i < 40; i++) {
            recorder.warning(owner, "FailedCreate", "Error creating: quota");
        }
        assertThat(countOf(admin, "spammy")).isEqualTo(25);

        clock.advance(Duration.ofMinutes(5));
        recorder.warning(owner, "FailedCreate", "Error creating: quota");
        recorder.warning(owner, "FailedCreate", "Error creating: quota");
        assertThat(countOf(admin, "spammy")).isEqualTo(26);
    }

    private static int countOf(KubeClient admin, String name) {
        return admin.list(ResourceType.EVENTS, "default", "", "involvedObject.name=" + name).stream()
                .mapToInt(e -> e.path("count").asInt()).sum();
    }
}
