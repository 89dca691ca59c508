package dev.kumo.node.stats;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The summary's JSON in the kubelet's {@code statsapi.Summary} shape. */
class SummaryTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant BOOT = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-01-02T03:04:05.678Z");

    @Test
    void aNodeAndAPodInTheKubeletsShape() throws Exception {
        NodeStats node = new NodeStats("n1", BOOT, new CpuStats(NOW, 150_000_000L, 9_000_000_000L),
                MemoryStats.of(NOW, 3_000L, 1_000L, 10_000L, 1_500L, 70L, 2L), new FsStats(NOW, 40L, 100L, 55L));
        ContainerStats app = new ContainerStats("id1", "app", BOOT.plusSeconds(60),
                new CpuStats(NOW, 100L, 2_000L), new MemoryStats(NOW, 90L, 20L, 10L, 5L, 3L, 0L));
        PodStats pod = new PodStats("web", "default", "uid-1", BOOT.plusSeconds(50), List.of(app),
                PodSums.cpu(List.of(app)), PodSums.memory(List.of(app)));

        JsonNode json = JSON.readTree(JSON.writeValueAsString(new Summary(node, List.of(pod)).toJson(JSON)));

        assertThat(json).isEqualTo(JSON.readTree("""
                {"node": {"nodeName": "n1", "startTime": "2026-01-01T00:00:00Z",
                  "cpu": {"time": "2026-01-02T03:04:05Z", "usageNanoCores": 150000000,
                          "usageCoreNanoSeconds": 9000000000},
                  "memory": {"time": "2026-01-02T03:04:05Z", "availableBytes": 8000, "usageBytes": 3000,
                             "workingSetBytes": 2000, "rssBytes": 1500, "pageFaults": 70, "majorPageFaults": 2},
                  "fs": {"time": "2026-01-02T03:04:05Z", "availableBytes": 40, "capacityBytes": 100,
                         "usedBytes": 55}},
                 "pods": [{"podRef": {"name": "web", "namespace": "default", "uid": "uid-1"},
                   "startTime": "2026-01-01T00:00:50Z",
                   "containers": [{"name": "app", "startTime": "2026-01-01T00:01:00Z",
                     "cpu": {"time": "2026-01-02T03:04:05Z", "usageNanoCores": 100, "usageCoreNanoSeconds": 2000},
                     "memory": {"time": "2026-01-02T03:04:05Z", "availableBytes": 90, "usageBytes": 20,
                                "workingSetBytes": 10, "rssBytes": 5, "pageFaults": 3, "majorPageFaults": 0}}],
                   "cpu": {"time": "2026-01-02T03:04:05Z", "usageNanoCores": 100, "usageCoreNanoSeconds": 2000},
                   "memory": {"time": "2026-01-02T03:04:05Z", "availableBytes": 90, "usageBytes": 20,
                              "workingSetBytes": 10, "rssBytes": 5, "pageFaults": 3, "majorPageFaults": 0}}]}"""));
    }

    @Test
    void unknownFieldsAreLeftOutAsTheKubeletOmitsThem() throws Exception {
        NodeStats node = new NodeStats("n1", BOOT, CpuStats.cumulative(NOW, 5), MemoryStats.of(NOW, 10, 2, null,
                null, null, null), null);
        ContainerStats quiet = new ContainerStats("id1", "app", BOOT, null, null);
        PodStats pod = new PodStats("sim", "default", "uid-2", BOOT, List.of(quiet), PodSums.cpu(List.of(quiet)),
                PodSums.memory(List.of(quiet)));

        JsonNode json = JSON.readTree(JSON.writeValueAsString(new Summary(node, List.of(pod)).toJson(JSON)));

        assertThat(json.path("node").path("cpu").has("usageNanoCores")).isFalse();
        assertThat(json.path("node").path("memory").toString())
                .isEqualTo("{\"time\":\"2026-01-02T03:04:05Z\",\"usageBytes\":10,\"workingSetBytes\":8}");
        assertThat(json.path("node").has("fs")).isFalse();
        assertThat(json.path("pods").get(0).toString()).isEqualTo("{\"podRef\":{\"name\":\"sim\",\"namespace\":"
                + "\"default\",\"uid\":\"uid-2\"},\"startTime\":\"2026-01-01T00:00:00Z\",\"containers\":[{\"name\":"
                + "\"app\",\"startTime\":\"2026-01-01T00:00:00Z\"}]}");
    }

    @Test
    void aPodsUsageIsTheSumOfItsContainersWithMissingFieldsAsZero() {
        ContainerStats a = new ContainerStats("a", "a", BOOT, new CpuStats(NOW, 10L, 100L),
                new MemoryStats(NOW, null, 50L, 40L, 30L, 2L, null));
        ContainerStats b = new ContainerStats("b", "b", BOOT, new CpuStats(NOW.plusSeconds(1), null, 200L),
                new MemoryStats(NOW.plusSeconds(1), 7L, null, 60L, null, 1L, 1L));

        assertThat(PodSums.cpu(List.of(a, b))).isEqualTo(new CpuStats(NOW.plusSeconds(1), 10L, 300L));
        assertThat(PodSums.memory(List.of(a, b)))
                .isEqualTo(new MemoryStats(NOW.plusSeconds(1), 7L, 50L, 100L, 30L, 3L, 1L));
        assertThat(PodSums.cpu(List.of())).isNull();
        ContainerStats process = new ContainerStats("p", "p", BOOT, CpuStats.cumulative(NOW, 5),
                new MemoryStats(NOW, null, null, 60L, 60L, 1L, 0L));
        assertThat(PodSums.memory(List.of(process))).as("no container reports usage: unknown, not 0")
                .isEqualTo(new MemoryStats(NOW, null, null, 60L, 60L, 1L, 0L));
    }
}
