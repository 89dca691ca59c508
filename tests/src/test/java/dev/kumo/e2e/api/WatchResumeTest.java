package dev.kumo.e2e.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.e2e.support.ApiClient;
import dev.kumo.e2e.support.KumoCluster;
import dev.kumo.e2e.support.SharedCluster;
import dev.kumo.e2e.support.StoreMaintenance;
import dev.kumo.e2e.support.WatchConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.time.Duration;

import static dev.kumo.e2e.support.StatusAssertions.assertFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Watches started from a resourceVersion, as a client resumes after a dropped connection: the later events,
 * exactly, in order; and {@code 410 Gone} once the history they need has been compacted.
 */
@ExtendWith(SharedCluster.class)
class WatchResumeTest {
    private static final Duration EVENT = Duration.ofSeconds(15);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KumoCluster cluster;
    private final ApiClient api;

    WatchResumeTest(KumoCluster cluster) {
        this.cluster = cluster;
        this.api = cluster.api();
    }

    @Test
    void aWatchFromAResourceVersionDeliversExactlyTheLaterEvents() {
        String ns = cluster.newNamespace("watch-resume");
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        String createdA = rv(api.post(path, configMap("a", "1")).expect(201).json());
        String modifiedA = rv(api.patch(path + "/a", ApiClient.MERGE_PATCH, "{\"data\":{\"v\":\"2\"}}").expect(200)
                .json());
        String createdB = rv(api.post(path, configMap("b", "1")).expect(201).json());
        String deletedA = rv(api.delete(path + "/a").expect(200).json());

        try (WatchConnection watch = api.watch(path + "?watch=true&resourceVersion=" + createdA)) {
            assertEvent(watch.next(EVENT), "MODIFIED", "a", modifiedA, "2");
            assertEvent(watch.next(EVENT), "ADDED", "b", createdB, "1");
            assertEvent(watch.next(EVENT), "DELETED", "a", deletedA, "2");
            String sentinel = rv(api.post(path, configMap("sentinel", "1")).expect(201).json());
            assertEvent(watch.next(EVENT), "ADDED", "sentinel", sentinel, "1");
        }
        try (WatchConnection watch = api.watch(path + "?watch=true&resourceVersion=" + createdB)) {
            assertEvent(watch.next(EVENT), "DELETED", "a", deletedA, "2");
            assertThat(watch.next(EVENT).path("object").path("metadata").path("name").asText()).isEqualTo("sentinel");
            String later = rv(api.post(path, configMap("later", "1")).expect(201).json());
            assertEvent(watch.next(EVENT), "ADDED", "later", later, "1");
        }
    }

    @Test
    void aWatchWithoutResourceVersionStartsWithTheCurrentObjects() {
        String ns = cluster.newNamespace("watch-fresh");
        String path = "/api/v1/namespaces/" + ns + "/configmaps";
        String created = rv(api.post(path, configMap("existing", "1")).expect(201).json());

        // Only this object: the namespace's own kube-root-ca.crt would come first.
        try (WatchConnection watch = api.watch(path + "?watch=true&fieldSelector=metadata.name%3Dexisting")) {
            assertEvent(watch.next(EVENT), "ADDED", "existing", created, "1");
            String modified = rv(api.patch(path + "/existing", ApiClient.MERGE_PATCH, "{\"data\":{\"v\":\"2\"}}")
                    .expect(200).json());
            assertEvent(watch.next(EVENT), "MODIFIED", "existing", modified, "2");
        }
    }

    @Test
    void aWatchEndsAfterItsTimeout() {
        String ns = cluster.newNamespace("watch-timeout");

        try (WatchConnection watch = api.watch("/api/v1/namespaces/" + ns + "/configmaps?watch=true&timeoutSeconds=1"
                + "&fieldSelector=metadata.name%3Dnone")) {
            assertThat(watch.endsWithin(Duration.ofSeconds(10))).isTrue();
        }
    }

    /**
     * Leases are compacted here because no other test writes them: compaction is per resource and for the whole
     * cluster, and would send other tests' watches a 410 too.
     */
    @Test
    void aCompactedResourceVersionIsGone() {
        String ns = cluster.newNamespace("watch-gone");
        String path = "/apis/coordination.k8s.io/v1/namespaces/" + ns + "/leases";
        String first = rv(api.post(path, lease("leader", "one")).expect(201).json());
        api.patch(path + "/leader", ApiClient.MERGE_PATCH, "{\"spec\":{\"holderIdentity\":\"two\"}}").expect(200);
        String latest = rv(api.patch(path + "/leader", ApiClient.MERGE_PATCH,
                "{\"spec\":{\"holderIdentity\":\"three\"}}").expect(200).json());
        try (StoreMaintenance store = new StoreMaintenance(cluster.local())) {
            store.compact("coordination.k8s.io", "v1", "leases", Long.parseLong(latest));
        }

        JsonNode error;
        try (WatchConnection watch = api.watch(path + "?watch=true&resourceVersion=" + first)) {
            error = watch.next(EVENT);
            assertThat(watch.endsWithin(EVENT)).as("the watch ends after its error").isTrue();
        }
        JsonNode listError = assertFailure(api.get(path + "?resourceVersion=" + first
                + "&resourceVersionMatch=Exact"), 410, "Expired");

        assertThat(error.path("type").asText()).isEqualTo("ERROR");
        JsonNode status = error.path("object");
        assertThat(status.path("kind").asText()).isEqualTo("Status");
        assertThat(status.path("status").asText()).isEqualTo("Failure");
        assertThat(status.path("code").asInt()).isEqualTo(410);
        assertThat(status.path("reason").asText()).isEqualTo("Expired");
        assertThat(status.path("message").asText()).contains(first);
        assertThat(listError.path("message").asText()).contains(first);

        try (WatchConnection watch = api.watch(path + "?watch=true&resourceVersion=" + latest)) {
            String next = rv(api.patch(path + "/leader", ApiClient.MERGE_PATCH,
                    "{\"spec\":{\"holderIdentity\":\"four\"}}").expect(200).json());
            JsonNode event = watch.next(EVENT);
            assertThat(event.path("type").asText()).isEqualTo("MODIFIED");
            assertThat(rv(event.path("object"))).isEqualTo(next);
        }
    }

    private static void assertEvent(JsonNode event, String type, String name, String resourceVersion, String v) {
        assertThat(event.path("type").asText()).as("type of %s", event).isEqualTo(type);
        JsonNode object = event.path("object");
        assertThat(object.path("kind").asText()).isEqualTo("ConfigMap");
        assertThat(object.path("metadata").path("name").asText()).as("name in %s", event).isEqualTo(name);
        assertThat(rv(object)).as("resourceVersion in %s", event).isEqualTo(resourceVersion);
        assertThat(object.path("data").path("v").asText()).as("data in %s", event).isEqualTo(v);
    }

    private static String rv(JsonNode object) {
        return object.path("metadata").path("resourceVersion").asText();
    }

    private static ObjectNode configMap(String name, String v) {
        ObjectNode configMap = JSON.createObjectNode().put("apiVersion", "v1").put("kind", "ConfigMap");
        configMap.putObject("metadata").put("name", name);
        configMap.putObject("data").put("v", v);
        return configMap;
    }

    private static ObjectNode lease(String name, String holder) {
        ObjectNode lease = JSON.createObjectNode().put("apiVersion", "coordination.k8s.io/v1").put("kind", "Lease");
        lease.putObject("metadata").put("name", name);
        lease.putObject("spec").put("holderIdentity", holder);
        return lease;
    }
}
