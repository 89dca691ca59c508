package dev.kumo.controllers.scheduler.plugins.noderesources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** NodeResourcesFit's filter, after kube-scheduler's TestEnoughRequests and TestNotEnoughRequests. */
class FitTest {
    private static final String EXTENDED_A = "example.com/aaa";
    private static final String EXTENDED_B = "example.com/bbb";
    private static final String KUBERNETES_IO_A = "kubernetes.io/something";
    private static final String HUGE_PAGES = "hugepages-2Mi";

    /** makeAllocatableResources(10, 20, 32, 5, 20, 5): 10m cpu, 20 bytes, 32 pods, 5 aaa, 20 storage, 5 hugepages. */
    private static ObjectNode node(String pods) {
        return MakeNode.node("node").allocatable("cpu", "10m", "memory", "20", "pods", pods, EXTENDED_A, "5",
                "ephemeral-storage", "20", HUGE_PAGES, "5").obj();
    }

    private static MakePod pod(String... requests) {
        return MakePod.pod("incoming").req(requests);
    }

    private static MakePod placed(String... requests) {
        return MakePod.pod("placed").node("node").req(requests);
    }

    static Stream<Arguments> enoughRequests() {
        return Stream.of(
                arguments(Named.of("no resources requested always fits", pod()), placed("cpu", "10m", "memory", "20"),
                        Set.of(), List.of()),
                arguments(Named.of("too many resources fails", pod("cpu", "1m", "memory", "1")),
                        placed("cpu", "10m", "memory", "20"), Set.of(),
                        List.of("Insufficient cpu", "Insufficient memory")),
                arguments(Named.of("too many resources fails due to init container cpu",
                        pod("cpu", "1m", "memory", "1").initReq("cpu", "3m", "memory", "1")),
                        placed("cpu", "8m", "memory", "19"), Set.of(), List.of("Insufficient cpu")),
                arguments(Named.of("too many resources fails due to highest init container cpu",
                        pod("cpu", "1m", "memory", "1").initReq("cpu", "3m", "memory", "1").initReq("cpu", "2m", "memory", "1")),
                        placed("cpu", "8m", "memory", "19"), Set.of(), List.of("Insufficient cpu")),
                arguments(Named.of("too many resources fails due to init container memory",
                        pod("cpu", "1m", "memory", "1").initReq("cpu", "1m", "memory", "3")),
                        placed("cpu", "9m", "memory", "19"), Set.of(), List.of("Insufficient memory")),
                arguments(Named.of("init container fits because it's the max, not sum, of containers and init containers",
                        pod("cpu", "1m", "memory", "1").initReq("cpu", "1m", "memory", "1")),
                        placed("cpu", "9m", "memory", "19"), Set.of(), List.of()),
                arguments(Named.of("a sidecar's requests add to the containers'",
                        pod("cpu", "1m", "memory", "1").sidecarReq("cpu", "1m", "memory", "1")),
                        placed("cpu", "9m", "memory", "19"), Set.of(), List.of("Insufficient cpu", "Insufficient memory")),
                arguments(Named.of("both resources fit", pod("cpu", "1m", "memory", "1")),
                        placed("cpu", "5m", "memory", "5"), Set.of(), List.of()),
                arguments(Named.of("one resource memory fits", pod("cpu", "2m", "memory", "1")),
                        placed("cpu", "9m", "memory", "5"), Set.of(), List.of("Insufficient cpu")),
                arguments(Named.of("one resource cpu fits", pod("cpu", "1m", "memory", "2")),
                        placed("cpu", "5m", "memory", "19"), Set.of(), List.of("Insufficient memory")),
                arguments(Named.of("equal edge case", pod("cpu", "5m", "memory", "1")),
                        placed("cpu", "5m", "memory", "19"), Set.of(), List.of()),
                arguments(Named.of("extended resource fits", pod(EXTENDED_A, "1")), placed(), Set.of(), List.of()),
                arguments(Named.of("extended resource capacity enforced", pod(EXTENDED_A, "10")), placed(), Set.of(),
                        List.of("Insufficient example.com/aaa")),
                arguments(Named.of("extended resource allocatable enforced", pod(EXTENDED_A, "1")),
                        placed(EXTENDED_A, "5"), Set.of(), List.of("Insufficient example.com/aaa")),
                arguments(Named.of("extended resource allocatable enforced for unknown resource", pod(EXTENDED_B, "1")),
                        placed(), Set.of(), List.of("Insufficient example.com/bbb")),
                arguments(Named.of("kubernetes.io resource capacity enforced", pod(KUBERNETES_IO_A, "10")), placed(),
                        Set.of(), List.of("Insufficient kubernetes.io/something")),
                arguments(Named.of("hugepages resource capacity enforced", pod(HUGE_PAGES, "10")), placed(), Set.of(),
                        List.of("Insufficient hugepages-2Mi")),
                arguments(Named.of("hugepages resource allocatable enforced for multiple containers",
                        pod(HUGE_PAGES, "3").req(HUGE_PAGES, "3")), placed(HUGE_PAGES, "2"), Set.of(),
                        List.of("Insufficient hugepages-2Mi")),
                arguments(Named.of("skip checking ignored extended resource", pod(EXTENDED_B, "1")), placed(),
                        Set.of(EXTENDED_B), List.of()),
                arguments(Named.of("resources + pod overhead fits",
                        pod("cpu", "1m", "memory", "1").overhead("cpu", "3m", "memory", "13")),
                        placed("cpu", "5m", "memory", "5"), Set.of(), List.of()),
                arguments(Named.of("requests + overhead does not fit for memory",
                        pod("cpu", "1m", "memory", "1").overhead("cpu", "1m", "memory", "15")),
                        placed("cpu", "5m", "memory", "5"), Set.of(), List.of("Insufficient memory")),
                arguments(Named.of("skip checking resource request with quantity zero", pod("cpu", "1m", EXTENDED_B, "0")),
                        placed(), Set.of(), List.of()),
                arguments(Named.of("a zero request fits an already overcommitted node", pod("cpu", "0", "memory", "1")),
                        placed("cpu", "20m", "memory", "5"), Set.of(), List.of()),
                arguments(Named.of("ephemeral local storage request is enforced", pod("ephemeral-storage", "25")),
                        placed("ephemeral-storage", "2"), Set.of(), List.of("Insufficient ephemeral-storage")),
                arguments(Named.of("ephemeral local storage is sufficient", pod("ephemeral-storage", "10")),
                        placed("ephemeral-storage", "2"), Set.of(), List.of()));
    }

    @ParameterizedTest
    @MethodSource("enoughRequests")
    void enoughRequests(MakePod pod, MakePod placed, Set<String> ignored, List<String> reasons) {
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(node("32")), List.of(placed.obj()));
        Fit fit = new Fit(ignored, Set.of(), ResourceSpec.DEFAULT);

        Status status = Plugins.filter(fit, pod.obj(), snapshot, "node");

        if (reasons.isEmpty()) {
            assertThat(status.isSuccess()).as(status.toString()).isTrue();
        } else {
            assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            assertThat(status.reasons()).containsExactlyElementsOf(reasons);
        }
    }

    static Stream<Arguments> notEnoughPods() {
        return Stream.of(
                arguments(Named.of("even without specified resources predicate fails when there's no space for "
                        + "additional pod", pod()), placed("cpu", "10m", "memory", "20"), List.of("Too many pods")),
                arguments(Named.of("even if both resources fit predicate fails when there's no space for additional pod",
                        pod("cpu", "1m", "memory", "1")), placed("cpu", "5m", "memory", "5"), List.of("Too many pods")),
                arguments(Named.of("even for equal edge case predicate fails when there's no space for additional pod",
                        pod("cpu", "5m", "memory", "1")), placed("cpu", "5m", "memory", "19"), List.of("Too many pods")),
                arguments(Named.of("all the reasons at once", pod("cpu", "6m", "memory", "16")),
                        placed("cpu", "5m", "memory", "5"),
                        List.of("Too many pods", "Insufficient cpu", "Insufficient memory")));
    }

    @ParameterizedTest
    @MethodSource("notEnoughPods")
    void tooManyPods(MakePod pod, MakePod placed, List<String> reasons) {
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(node("1")), List.of(placed.obj()));

        Status status = Plugins.filter(new Fit(), pod.obj(), snapshot, "node");

        assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(status.reasons()).containsExactlyElementsOf(reasons);
    }

    @org.junit.jupiter.api.Test
    void aNodeWithoutAllocatablePodsTakesNoPod() {
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(MakeNode.node("bare").obj()), List.of());

        Status status = Plugins.filter(new Fit(), pod().obj(), snapshot, "bare");

        assertThat(status.reasons()).containsExactly("Too many pods");
    }

    @org.junit.jupiter.api.Test
    void finishedPodsDoNotCount() {
        ObjectNode done = placed("cpu", "10m").status("phase", "\"Succeeded\"").obj();
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(node("1")), List.of(done));

        assertThat(Plugins.filter(new Fit(), pod("cpu", "10m").obj(), snapshot, "node").isSuccess()).isTrue();
    }
}
