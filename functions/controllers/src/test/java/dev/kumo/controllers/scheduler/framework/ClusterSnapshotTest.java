package dev.kumo.controllers.scheduler.framework;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.selection.LabelSelector;
import dev.kumo.controllers.scheduler.SchedulingGates;
import dev.kumo.controllers.scheduler.testing.Json;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a snapshot counts on each node, and assume / forget. */
class ClusterSnapshotTest {
    private static ObjectNode node(String name) {
        return MakeNode.node(name).allocatable("cpu", "4", "memory", "8Gi", "pods", "110").obj();
    }

    @Test
    void boundUnfinishedPodsCountOnTheirNodesOnce() {
        ObjectNode twice = MakePod.pod("twice").node("n1").req("cpu", "1").obj();
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(node("n1"), node("n2"))).pods(List.of(
                twice, twice,
                MakePod.pod("pending").req("cpu", "1").obj(),
                MakePod.pod("elsewhere").node("gone").req("cpu", "1").obj(),
                MakePod.pod("failed").node("n1").req("cpu", "1").status("phase", "\"Failed\"").obj(),
                MakePod.pod("leaving").node("n2").req("cpu", "2").terminating().obj(),
                MakePod.pod("empty").node("n2").req().obj())).build();

        assertThat(snapshot.get("n1").pods()).extracting(PodInfo::name).containsExactly("twice");
        assertThat(snapshot.get("n1").requested()).isEqualTo(new Resource(1000, 0, 0, 1, Map.of()));
        assertThat(snapshot.get("n2").pods()).extracting(PodInfo::name).containsExactly("leaving", "empty");
        assertThat(snapshot.get("n2").requested()).isEqualTo(new Resource(2000, 0, 0, 2, Map.of()));
        assertThat(snapshot.get("n2").nonZeroMilliCpu()).isEqualTo(2100);
        assertThat(snapshot.get("n2").nonZeroMemory()).isEqualTo(PodInfo.DEFAULT_MEMORY_REQUEST * 2);
    }

    @Test
    void assumeAndForget() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(node("n1"))).build();
        PodInfo pod = MakePod.pod("p").req("cpu", "1").hostPorts("TCP//80").spec("affinity", """
                {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"a":"b"}},"topologyKey":"kubernetes.io/hostname"}]}}""").info();

        PodInfo placed = snapshot.assume(pod, "n1");

        NodeInfo n1 = snapshot.get("n1");
        assertThat(placed.nodeName()).isEqualTo("n1");
        assertThat(n1.requested().milliCpu()).isEqualTo(1000);
        assertThat(n1.usedPorts()).containsExactly(new HostPort("", "", 80));
        assertThat(n1.podsWithRequiredAntiAffinity()).containsExactly(placed);
        assertThat(snapshot.nodesWithPodsWithAffinity()).containsExactly(n1);

        assertThat(snapshot.forget(placed)).isTrue();
        assertThat(n1.pods()).isEmpty();
        assertThat(n1.requested()).isEqualTo(Resource.ZERO);
        assertThat(n1.usedPorts()).isEmpty();
        assertThat(n1.podsWithRequiredAntiAffinity()).isEmpty();
        assertThat(snapshot.forget(placed)).isFalse();
        assertThatThrownBy(() -> snapshot.assume(pod, "nowhere")).hasMessage("node \"nowhere\" is not in the snapshot");
    }

    @Test
    void namespacesAreKnownByTheirLabels() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().namespaces(List.of(
                Json.parse("{\"metadata\":{\"name\":\"a\",\"labels\":{\"team\":\"x\"}}}"),
                Json.parse("{\"metadata\":{\"name\":\"b\",\"labels\":{\"team\":\"y\"}}}"))).build();

        assertThat(snapshot.namespaceLabels("a")).isEqualTo(Map.of("team", "x"));
        assertThat(snapshot.namespaceLabels("unknown")).isEmpty();
        assertThat(snapshot.namespacesMatching(LabelSelector.parse("team in (x,y)"))).containsExactly("a", "b");
    }

    @Test
    void extendedAndHugePageResourcesAreScalars() {
        Resource resource = NodeInfo.of(MakeNode.node("n").allocatable("cpu", "1500m", "memory", "1Gi",
                "ephemeral-storage", "10Gi", "pods", "110", "nvidia.com/gpu", "2", "hugepages-2Mi", "1Gi",
                "requests.cpu", "1", "unknown", "3").obj()).allocatable();

        assertThat(resource).isEqualTo(new Resource(1500, 1L << 30, 10L << 30, 110,
                Map.of("nvidia.com/gpu", 2L, "hugepages-2Mi", 1L << 30)));
    }

    @Test
    void gatedPodsAreRecognised() {
        assertThat(SchedulingGates.isGated(MakePod.pod("p").spec("schedulingGates", "[{\"name\":\"wait\"}]").obj()))
                .isTrue();
        assertThat(SchedulingGates.isGated(MakePod.pod("p").obj())).isFalse();
    }
}
