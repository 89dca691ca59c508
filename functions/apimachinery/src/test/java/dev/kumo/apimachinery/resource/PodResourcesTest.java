package dev.kumo.apimachinery.resource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A pod's requests the way component-helpers' PodRequests sums them. */
class PodResourcesTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResourceList DEFAULTS = ResourceList.EMPTY.with("cpu", Quantity.parse("100m"))
            .with("memory", Quantity.parse("200Mi"));

    private static JsonNode spec(String json) throws Exception {
        return MAPPER.readTree(json);
    }

    @Test
    void containersAddUpAndTheLargestInitContainerSetsAFloor() throws Exception {
        JsonNode spec = spec("""
                {"containers":[{"resources":{"requests":{"cpu":"1","memory":"1G"}}},
                               {"resources":{"requests":{"cpu":"2","memory":"1G"}}}],
                 "initContainers":[{"resources":{"requests":{"cpu":"2","memory":"3G"}}}],
                 "overhead":{"cpu":"250m"}}""");

        assertThat(PodResources.requests(spec, false)).isEqualTo(ResourceList.EMPTY
                .with("cpu", Quantity.parse("3")).with("memory", Quantity.parse("3G")));
        assertThat(PodResources.requests(spec, true).get("cpu")).isEqualTo(Quantity.parse("3250m"));
    }

    @Test
    void nonMissingRequestsFillInWhatAContainerLeavesOut() throws Exception {
        JsonNode spec = spec("""
                {"containers":[{"name":"none"},
                               {"resources":{"requests":{"cpu":"500m"}}},
                               {"resources":{"requests":{"cpu":"0","memory":"0"}}}]}""");

        ResourceList requests = PodResources.requests(spec, false, DEFAULTS);

        // 100m + 500m + an explicit 0; 200Mi + 200Mi + an explicit 0
        assertThat(requests.get("cpu")).isEqualTo(Quantity.parse("600m"));
        assertThat(requests.get("memory")).isEqualTo(Quantity.parse("400Mi"));
        assertThat(PodResources.requests(spec, false).get("memory")).isEqualTo(Quantity.parse("0"));
    }

    @Test
    void nonMissingRequestsApplyToInitContainersAndSidecars() throws Exception {
        JsonNode spec = spec("""
                {"containers":[{"resources":{"requests":{"cpu":"1"}}}],
                 "initContainers":[{"name":"sidecar","restartPolicy":"Always"},
                                   {"resources":{"requests":{"memory":"1Gi"}}}]}""");

        ResourceList requests = PodResources.requests(spec, false, DEFAULTS);

        // cpu: container 1 + sidecar 100m; init peak (100m own + 100m sidecar) is less
        assertThat(requests.get("cpu")).isEqualTo(Quantity.parse("1100m"));
        // memory: 200Mi (container) + 200Mi (sidecar) < init 1Gi + sidecar 200Mi
        assertThat(requests.get("memory")).isEqualTo(Quantity.parse("1224Mi"));
    }
}
