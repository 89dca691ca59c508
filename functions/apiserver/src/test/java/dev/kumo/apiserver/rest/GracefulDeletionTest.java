package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Graceful deletion of pods on a node, as kube-apiserver does it: the deletionTimestamp is when the grace period
 * ends; while it runs, the node's status writes do not delete the pod (only its final delete, grace period 0,
 * does); a later delete may only shorten the grace period.
 */
class GracefulDeletionTest {
    private static final String PODS = "/api/v1/namespaces/default/pods";
    private final TestApi api = new TestApi();

    private void boundPod(String name, String finalizers) {
        assertThat(api.call("POST", PODS, """
                {"metadata": {"name": "%s"%s},
                 "spec": {"nodeName": "n1", "containers": [{"name": "c", "image": "busybox"}]}}"""
                .formatted(name, finalizers)).status()).isEqualTo(201);
    }

    private JsonNode get(String name) {
        return api.call("GET", PODS + "/" + name, null).body();
    }

    @Test
    void statusWritesDuringTheGracePeriodKeepThePodUntilTheFinalDelete() {
        boundPod("web", "");
        Instant before = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);

        TestApi.Answer marked = api.call("DELETE", PODS + "/web?gracePeriodSeconds=30", null);

        assertThat(marked.status()).isEqualTo(202);
        JsonNode metadata = marked.body().path("metadata");
        assertThat(metadata.path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
        assertThat(Instant.parse(metadata.path("deletionTimestamp").asText()))
                .isBetween(before.plusSeconds(30), before.plus(Duration.ofSeconds(32)));

        TestApi.Answer status = api.call("PATCH", PODS + "/web/status",
                "{\"status\":{\"phase\":\"Succeeded\"}}", "application/merge-patch+json", Map.of());
        assertThat(status.status()).isEqualTo(200);
        assertThat(get("web").path("status").path("phase").asText()).isEqualTo("Succeeded");

        String uid = get("web").path("metadata").path("uid").asText();
        assertThat(api.call("DELETE", PODS + "/web", "{\"gracePeriodSeconds\":0,\"preconditions\":{\"uid\":\"" + uid
                + "\"}}").status()).isEqualTo(200);
        assertThat(api.call("GET", PODS + "/web", null).status()).isEqualTo(404);
    }

    @Test
    void aLaterDeleteOnlyShortensTheGracePeriodAndAFinalizerStillHoldsThePod() {
        boundPod("held", ", \"finalizers\": [\"example.com/keep\"]");
        JsonNode first = api.call("DELETE", PODS + "/held?gracePeriodSeconds=30", null).body().path("metadata");

        JsonNode longer = api.call("DELETE", PODS + "/held?gracePeriodSeconds=60", null).body().path("metadata");
        assertThat(longer.path("deletionGracePeriodSeconds").asLong()).isEqualTo(30);
        assertThat(longer.path("deletionTimestamp")).isEqualTo(first.path("deletionTimestamp"));

        TestApi.Answer now = api.call("DELETE", PODS + "/held?gracePeriodSeconds=0", null);
        assertThat(now.status()).as("the finalizer holds it").isEqualTo(202);
        assertThat(now.body().at("/metadata/deletionGracePeriodSeconds").asLong()).isZero();
        assertThat(Instant.parse(now.body().at("/metadata/deletionTimestamp").asText()))
                .isEqualTo(Instant.parse(first.path("deletionTimestamp").asText()).minusSeconds(30));

        api.call("PATCH", PODS + "/held", "{\"metadata\":{\"finalizers\":null}}", "application/merge-patch+json",
                Map.of());
        assertThat(api.call("GET", PODS + "/held", null).status()).isEqualTo(404);
    }
}
