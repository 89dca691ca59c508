package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Watch over the API: resuming, selectors, bookmarks and 410. */
class WatchRestTest {
    private static final String CM = "/api/v1/namespaces/default/configmaps";
    private final TestApi api = new TestApi();

    @Test
    void watchFromAListResourceVersionDeliversExactlyTheLaterEvents() throws Exception {
        api.call("POST", CM, TestApi.configMap("before", "1"));
        String rv = api.call("GET", CM, null).body().at("/metadata/resourceVersion").asText();
        api.call("POST", CM, TestApi.configMap("a", "1"));
        api.call("PUT", CM + "/a", TestApi.configMap("a", "2"));
        api.call("DELETE", CM + "/a", null);

        List<JsonNode> events = events(api.call("GET", CM + "?watch=true&resourceVersion=" + rv, null).text());

        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "MODIFIED", "DELETED");
        assertThat(events).allSatisfy(e -> assertThat(e.at("/object/metadata/name").asText()).isEqualTo("a"));
    }

    @Test
    void aWatchWithoutResourceVersionStartsWithTheCurrentObjects() throws Exception {
        api.call("POST", CM, TestApi.configMap("x", "1"));

        List<JsonNode> events = events(api.call("GET", CM + TestApi.OWN_CONFIG_MAPS + "&watch=1", null).text());

        assertThat(events).extracting(e -> e.at("/object/metadata/name").asText()).containsExactly("x");
        assertThat(events.get(0).path("type").asText()).isEqualTo("ADDED");
    }

    @Test
    void objectsLeavingAndEnteringALabelSelectorAreDeletedAndAdded() throws Exception {
        // A resource never written lists at "0", which a watch reads as "start at any"; write one first.
        api.call("POST", CM, TestApi.configMap("unrelated", "1"));
        String rv = api.call("GET", CM, null).body().at("/metadata/resourceVersion").asText();
        api.call("POST", CM, "{\"metadata\":{\"name\":\"m\",\"labels\":{\"tier\":\"web\"}}}");
        api.call("PATCH", CM + "/m", "{\"metadata\":{\"labels\":{\"tier\":\"db\"}}}", "application/merge-patch+json", Map.of());
        api.call("PATCH", CM + "/m", "{\"metadata\":{\"labels\":{\"tier\":\"web\"}}}", "application/merge-patch+json", Map.of());

        List<JsonNode> events = events(api.call("GET", CM + "?watch=true&labelSelector=tier%3Dweb&resourceVersion="
                + rv, null).text());

        assertThat(events).extracting(e -> e.path("type").asText()).containsExactly("ADDED", "DELETED", "ADDED");
    }

    @Test
    void aBookmarkEndsTheWatchWithTheLastRevisionCovered() throws Exception {
        api.call("POST", CM, TestApi.configMap("unrelated", "1"));
        String rv = api.call("GET", CM, null).body().at("/metadata/resourceVersion").asText();
        api.call("POST", "/api/v1/namespaces/kube-system/configmaps", TestApi.configMap("elsewhere", "1"));

        List<JsonNode> events = events(api.call("GET", CM + "?watch=true&allowWatchBookmarks=true&resourceVersion="
                + rv, null).text());

        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("BOOKMARK");
        assertThat(Long.parseLong(events.get(0).at("/object/metadata/resourceVersion").asText()))
                .isGreaterThan(Long.parseLong(rv));
    }

    @Test
    void aCompactedResourceVersionEndsInAnErrorEventWith410() throws Exception {
        api.call("POST", CM, TestApi.configMap("a", "1"));
        String rv = api.call("GET", CM, null).body().at("/metadata/resourceVersion").asText();
        api.call("PUT", CM + "/a", TestApi.configMap("a", "2"));
        api.store.compact("configmaps", api.store.currentRevision("configmaps"));

        List<JsonNode> events = events(api.call("GET", CM + "?watch=true&resourceVersion=" + rv, null).text());
        TestApi.Answer list = api.call("GET", CM + "?resourceVersion=" + rv + "&resourceVersionMatch=Exact", null);

        assertThat(events).hasSize(1);
        assertThat(events.get(0).path("type").asText()).isEqualTo("ERROR");
        assertThat(events.get(0).at("/object/code").asInt()).isEqualTo(410);
        assertThat(events.get(0).at("/object/reason").asText()).isEqualTo("Expired");
        assertThat(list.status()).isEqualTo(410);
    }

    static List<JsonNode> events(String stream) throws Exception {
        List<JsonNode> events = new ArrayList<>();
        for (String line : stream.split("\n")) {
            if (!line.isBlank()) {
                events.add(TestApi.MAPPER.readTree(line));
            }
        }
        return events;
    }
}
