package dev.kumo.controllers.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import java.net.URI;
import java.time.Clock;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

class EventRecorderTest {
    private static final TestCluster CLUSTER = new TestCluster();

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @Test
    void recordsAnEventAboutAnObjectAndCountsRepeatsOnIt() {
        KubeClient admin = CLUSTER.admin();
        ObjectNode pod = admin.create(ResourceType.PODS, "default", TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1"},
                 "spec":{"containers":[{"name":"c","image":"nginx"}]}}"""));
        ControllerContext context = CLUSTER.controllerContext("replicaset-controller", Clock.systemUTC());

        context.events().warning(pod, "FailedCreate", "Error creating: quota exceeded");
        context.events().warning(pod, "FailedCreate", "Error creating: quota exceeded");
        context.events().normal(pod, "SuccessfulCreate", "Created pod: web-1");

        List<ObjectNode> events = admin.list(ResourceType.EVENTS, "default", "",
                "involvedObject.name=web-1");
        assertThat(events).hasSize(2);
        ObjectNode failed = events.stream().filter(e -> e.path("reason").asText().equals("FailedCreate"))
                .findFirst().orElseThrow();
        assertThat(failed.path("count").asInt()).isEqualTo(2);
        assertThat(failed.path("type").asText()).isEqualTo("Warning");
        assertThat(failed.path("source").path("component").asText()).isEqualTo("replicaset-controller");
        assertThat(failed.path("involvedObject").path("uid").asText())
                .isEqualTo(pod.path("metadata").path("uid").asText());
        assertThat(failed.path("involvedObject").path("kind").asText()).isEqualTo("Pod");
    }

    @Test
    void aFailureToRecordIsNeverThrown() throws Exception {
        // The credentials cannot be had (an IAM token that cannot be signed): the request is never sent.
        KubeClient broken = new KubeClient(URI.create("http://127.0.0.1:1"), SSLContext.getDefault(), () -> {
            throw new IllegalStateException("no credentials");
        }, "event-recorder-test");
        EventRecorder events = new EventRecorder(broken, "replicaset-controller", Clock.systemUTC());
        ObjectNode pod = TestCluster.object("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web-1","namespace":"default","uid":"u1"}}""");

        assertThatCode(() -> events.warning(pod, "FailedCreate", "Error creating: quota exceeded"))
                .doesNotThrowAnyException();
    }
}
