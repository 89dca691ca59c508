package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apiserver.http.ApiResponse;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Watch over the API: resuming, selectors, bookmarks, 410, and a client that left. */
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

    /**
     * A streaming host learns that a client left only when a write fails. An idle watch with bookmarks writes one
     * every minute, as kube-apiserver does, so it ends then instead of being served until its timeout.
     */
    @Test
    @Tag("slow")
    void anIdleWatchWhoseClientLeftEndsAtItsBookmarkOfTheMinute() throws Exception {
        api.call("POST", CM, TestApi.configMap("quiet", "1"));
        String rv = api.call("GET", CM, null).body().at("/metadata/resourceVersion").asText();
        ApiResponse.Streaming watch = (ApiResponse.Streaming) api.respond("GET",
                CM + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=600&resourceVersion=" + rv, null, null,
                Map.of());
        List<String> attempted = new CopyOnWriteArrayList<>();
        OutputStream departedClient = new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException("Broken pipe");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                attempted.add(new String(b, off, len, StandardCharsets.UTF_8));
                throw new IOException("Broken pipe");
            }
        };

        long started = System.nanoTime();
        assertTimeoutPreemptively(Duration.ofSeconds(90), () -> assertThatThrownBy(
                () -> watch.body().writeTo(ApiResponse.Sink.of(departedClient, Long.MAX_VALUE)))
                .isInstanceOf(IOException.class));
        Duration served = Duration.ofNanos(System.nanoTime() - started);

        assertThat(served).isBetween(Duration.ofSeconds(59), Duration.ofSeconds(70));
        assertThat(events(String.join("", attempted))).singleElement().satisfies(bookmark -> {
            assertThat(bookmark.path("type").asText()).isEqualTo("BOOKMARK");
            assertThat(bookmark.at("/object/metadata/resourceVersion").asText()).isEqualTo(rv);
        });
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
