package dev.kumo.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.controllers.status.Conditions;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** What the loops' tests look at in a pod: where it runs, its IP, whether it is Ready or being deleted. */
public record PodView(String name, String node, String phase, String ip, boolean ready, boolean terminating,
                      String templateHash, String image) {

    /** The pods of {@code namespace} matching {@code labelSelector}, read straight from the API (no kubectl). */
    public static List<PodView> list(ApiClient api, String namespace, String labelSelector) {
        JsonNode items = api.get("/api/v1/namespaces/" + namespace + "/pods?labelSelector="
                + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8)).expect(200).json().path("items");
        List<PodView> pods = new ArrayList<>();
        items.forEach(pod -> pods.add(of(pod)));
        return pods;
    }

    /**
     * Waits until exactly {@code count} pods match {@code labelSelector}, all serving (none left being deleted), and
     * returns them.
     */
    public static List<PodView> awaitServing(ApiClient api, String namespace, String labelSelector, int count,
                                             Duration timeout) {
        return Poll.until(timeout, count + " serving pods " + labelSelector, () -> list(api, namespace,
                labelSelector), pods -> pods.size() == count && pods.stream().allMatch(PodView::serving));
    }

    public static PodView of(JsonNode pod) {
        boolean ready = Conditions.status(pod, "Ready").equals("True");
        JsonNode metadata = pod.path("metadata");
        return new PodView(metadata.path("name").asText(), pod.path("spec").path("nodeName").asText(""),
                pod.path("status").path("phase").asText(""), pod.path("status").path("podIP").asText(""), ready,
                metadata.hasNonNull("deletionTimestamp"),
                metadata.path("labels").path("pod-template-hash").asText(""),
                pod.path("spec").path("containers").path(0).path("image").asText(""));
    }

    /** Running, Ready and not being deleted. */
    public boolean serving() {
        return "Running".equals(phase) && ready && !terminating;
    }
}
