package dev.kumo.apiserver.rest;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** LimitRanges as a resource and LimitRanger admission, through the API. */
class LimitRangeAdmissionTest {
    private static final String NS = "/api/v1/namespaces/limited";
    private final TestApi api = new TestApi();

    @BeforeEach
    void namespace() {
        api.call("POST", "/api/v1/namespaces", "{\"metadata\":{\"name\":\"limited\"}}");
    }

    private TestApi.Answer limitRange(String limits) {
        return api.call("POST", NS + "/limitranges", """
                {"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"limits"},"spec":{"limits":%s}}"""
                .formatted(limits));
    }

    private TestApi.Answer pod(String name, String containers) {
        return api.call("POST", NS + "/pods", """
                {"metadata":{"name":"%s"},"spec":{"containers":%s}}""".formatted(name, containers));
    }

    @Test
    void containerDefaultsFillWhatThePodLeavesOutAndAreAnnotated() {
        assertThat(limitRange("""
                [{"type":"Container","default":{"cpu":"500m","memory":"256Mi"},
                  "defaultRequest":{"cpu":"0.1","memory":"128Mi"}}]""").status()).isEqualTo(201);

        JsonNode bare = pod("bare", "[{\"name\":\"app\",\"image\":\"busybox:1.36\"}]").body();
        JsonNode partial = pod("partial", """
                [{"name":"app","image":"busybox:1.36","resources":{"limits":{"cpu":"1"}}}]""").body();

        assertThat(TestApi.json(bare.at("/spec/containers/0/resources"))).isEqualTo(TestApi.json("""
                {"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"cpu":"500m","memory":"256Mi"}}"""));
        assertThat(bare.at("/metadata/annotations/kubernetes.io~1limit-ranger").asText()).isEqualTo(
                "LimitRanger plugin set: cpu, memory request for container app; cpu, memory limit for container app");
        assertThat(bare.at("/status/qosClass").asText()).isEqualTo("Burstable");
        // A pod's own limit also becomes its request (pod defaulting runs before admission, as in Kubernetes).
        assertThat(TestApi.json(partial.at("/spec/containers/0/resources"))).isEqualTo(TestApi.json("""
                {"requests":{"cpu":"1","memory":"128Mi"},"limits":{"cpu":"1","memory":"256Mi"}}"""));
        assertThat(partial.at("/metadata/annotations/kubernetes.io~1limit-ranger").asText()).isEqualTo(
                "LimitRanger plugin set: memory request for container app; memory limit for container app");
    }

    @Test
    void theLimitRangeIsServedWithKubernetesDefaults() {
        JsonNode created = limitRange("""
                [{"type":"Container","max":{"cpu":"2"},"min":{"memory":"64Mi"}},{"type":"Pod","max":{"cpu":"4000m"}}]""")
                .body();

        assertThat(TestApi.json(created.at("/spec/limits/0"))).isEqualTo(TestApi.json("""
                {"type":"Container","max":{"cpu":"2"},"min":{"memory":"64Mi"},"default":{"cpu":"2"},
                 "defaultRequest":{"cpu":"2","memory":"64Mi"}}"""));
        assertThat(TestApi.json(created.at("/spec/limits/1"))).isEqualTo(TestApi.json("""
                {"type":"Pod","max":{"cpu":"4"}}"""));
        assertThat(api.call("GET", NS + "/limits", null).status()).isEqualTo(404);
        assertThat(api.call("GET", NS + "/limitranges/limits", null).body().path("kind").asText())
                .isEqualTo("LimitRange");
    }

    @Test
    void anUpdatedLimitRangeIsDefaultedAsACreatedOne() {
        limitRange("[{\"type\":\"Container\",\"max\":{\"cpu\":\"2\"}}]");

        TestApi.Answer updated = api.call("PUT", NS + "/limitranges/limits", """
                {"apiVersion":"v1","kind":"LimitRange","metadata":{"name":"limits"},
                 "spec":{"limits":[{"type":"Container","max":{"cpu":"1000m"}}]}}""");

        assertThat(updated.status()).as(updated.text()).isEqualTo(200);
        assertThat(TestApi.json(updated.body().at("/spec/limits/0"))).isEqualTo(TestApi.json("""
                {"type":"Container","max":{"cpu":"1"},"default":{"cpu":"1"},"defaultRequest":{"cpu":"1"}}"""));
    }

    @Test
    void minMaxAndRatioAreEnforcedWithKubernetesMessages() {
        limitRange("""
                [{"type":"Container","max":{"cpu":"500m"},"min":{"memory":"64Mi"},
                  "maxLimitRequestRatio":{"memory":"2"}}]""");

        TestApi.Answer overMax = pod("big", """
                [{"name":"app","image":"busybox:1.36","resources":{"limits":{"cpu":"1","memory":"64Mi"}}}]""");
        TestApi.Answer underMin = pod("small", """
                [{"name":"app","image":"busybox:1.36","resources":{"requests":{"memory":"32Mi"},
                  "limits":{"cpu":"100m","memory":"64Mi"}}}]""");
        TestApi.Answer ratio = pod("ratio", """
                [{"name":"app","image":"busybox:1.36","resources":{"requests":{"memory":"64Mi"},
                  "limits":{"cpu":"100m","memory":"256Mi"}}}]""");
        TestApi.Answer fits = pod("fits", """
                [{"name":"app","image":"busybox:1.36","resources":{"requests":{"memory":"64Mi"},
                  "limits":{"cpu":"500m","memory":"128Mi"}}}]""");

        assertThat(overMax.status()).isEqualTo(403);
        assertThat(overMax.body().path("message").asText())
                .isEqualTo("pods \"big\" is forbidden: maximum cpu usage per Container is 500m, but limit is 1");
        assertThat(underMin.body().path("message").asText()).isEqualTo("pods \"small\" is forbidden: minimum memory "
                + "usage per Container is 64Mi, but request is 32Mi");
        assertThat(ratio.body().path("message").asText()).isEqualTo("pods \"ratio\" is forbidden: memory max limit "
                + "to request ratio per Container is 2, but provided ratio is 4.000000");
        assertThat(fits.status()).as(fits.text()).isEqualTo(201);
    }

    @Test
    void podItemsLimitThePodsTotal() {
        limitRange("[{\"type\":\"Pod\",\"max\":{\"memory\":\"1Gi\"}}]");

        TestApi.Answer refused = pod("two", """
                [{"name":"a","image":"busybox:1.36","resources":{"limits":{"memory":"768Mi"}}},
                 {"name":"b","image":"busybox:1.36","resources":{"limits":{"memory":"512Mi"}}}]""");

        assertThat(refused.body().path("message").asText())
                .isEqualTo("pods \"two\" is forbidden: maximum memory usage per Pod is 1Gi, but limit is 1280Mi");
    }

    @Test
    void invalidLimitRangesAreRefused() {
        TestApi.Answer answer = limitRange("""
                [{"type":"Container","min":{"cpu":"2"},"max":{"cpu":"1"}},
                 {"type":"Pod","default":{"cpu":"1"}},{"type":"Node","max":{"cpu":"x1"}}]""");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().path("message").asText()).contains(
                "spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1",
                "spec.limits[1].default: Forbidden: may not be specified when `type` is 'Pod'",
                "spec.limits[2].type: Invalid value: \"Node\": must be a standard limit type or fully qualified",
                "spec.limits[2].max[cpu]: Invalid value: \"x1\": quantities must match the regular expression");
    }

    @Test
    void podResourcesAreValidated() {
        TestApi.Answer answer = pod("bad", """
                [{"name":"app","image":"busybox:1.36","resources":{"requests":{"cpu":"2"},"limits":{"cpu":"1",
                  "memory":"-1","gpu":"1"}}}]""");

        assertThat(answer.status()).isEqualTo(422);
        assertThat(answer.body().path("message").asText()).contains(
                "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
                "spec.containers[0].resources.limits[memory]: Invalid value: \"-1\": must be greater than or equal to 0",
                "spec.containers[0].resources.limits[gpu]: Invalid value: \"gpu\": must be a standard resource for "
                        + "containers");
    }
}
