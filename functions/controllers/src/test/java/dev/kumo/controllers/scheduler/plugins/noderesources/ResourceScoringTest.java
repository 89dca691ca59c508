package dev.kumo.controllers.scheduler.plugins.noderesources;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.Plugin;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * NodeResourcesFit's LeastAllocated scoring and NodeResourcesBalancedAllocation, after kube-scheduler's
 * least_allocated_test.go and balanced_allocation_test.go; each case's arithmetic is in its comment.
 */
class ResourceScoringTest {
    private static final String GPU = "example.com/gpu";

    private static ObjectNode node(String name, String cpu, String memory) {
        return MakeNode.node(name).allocatable("cpu", cpu, "memory", memory, "pods", "110").obj();
    }

    private static MakePod cpuAndMemory() {
        return MakePod.pod("p").req("cpu", "1000m", "memory", "2000").req("cpu", "2000m", "memory", "3000");
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // A pod without containers requests nothing: everything stays free, 100 everywhere.
                arguments(Named.of("nothing scheduled, nothing requested", new Fit()), MakePod.pod("p"),
                        List.of(node("node1", "4000m", "10000"), node("node2", "4000m", "10000")), List.of(),
                        Map.of("node1", 100L, "node2", 100L)),
                // node1: cpu (4000-3000)*100/4000 = 25, memory (10000-5000)*100/10000 = 50 -> 37
                // node2: cpu (6000-3000)*100/6000 = 50, memory 50 -> 50
                arguments(Named.of("LeastAllocated: nothing scheduled, resources requested, differently sized nodes",
                        new Fit()), cpuAndMemory(),
                        List.of(node("node1", "4000m", "10000"), node("node2", "6000m", "10000")), List.of(),
                        Map.of("node1", 37L, "node2", 50L)),
                // Containers without requests count 100m and 200Mi (209715200) on both sides.
                // node1: cpu (4000-100)*100/4000 = 97, memory (1Gi-200Mi)*100/1Gi = 80 -> 88
                // node2 holds one such pod already: cpu (4000-200)*100/4000 = 95, memory (1Gi-400Mi)*100/1Gi = 60 -> 77
                arguments(Named.of("LeastAllocated: containers without requests count the non-zero defaults",
                        new Fit()), MakePod.pod("p").req(),
                        List.of(node("node1", "4000m", "1Gi"), node("node2", "4000m", "1Gi")),
                        List.of(MakePod.pod("placed").node("node2").req().obj()),
                        Map.of("node1", 88L, "node2", 77L)),
                // cpu 3000 + 3000 > 4000 scores 0; memory: the placed pod asks for an explicit 0, so
                // (10000-5000)*100/10000 = 50 -> 25
                arguments(Named.of("LeastAllocated: requested resources exceed node capacity", new Fit()),
                        cpuAndMemory(), List.of(node("node1", "4000m", "10000")),
                        List.of(MakePod.pod("placed").node("node1").req("cpu", "3000m", "memory", "0").obj()),
                        Map.of("node1", 25L)),
                arguments(Named.of("LeastAllocated: zero node resources", new Fit()), cpuAndMemory(),
                        List.of(node("node1", "0", "0")), List.of(), Map.of("node1", 0L)),
                // node1: fractions 3000/4000 = .75 and 5000/10000 = .5, deviation .125 -> 87; node2: .5 and .5 -> 100
                arguments(Named.of("BalancedAllocation: nothing scheduled, resources requested, differently sized "
                        + "nodes", new BalancedAllocation()), cpuAndMemory(),
                        List.of(node("node1", "4000m", "10000"), node("node2", "6000m", "10000")), List.of(),
                        Map.of("node1", 87L, "node2", 100L)),
                // Fractions are capped at 1: 1 and 0 deviate by .5 -> 50
                arguments(Named.of("BalancedAllocation: requested resources exceed node capacity",
                        new BalancedAllocation()), MakePod.pod("p").req("cpu", "5000m", "memory", "0"),
                        List.of(node("node1", "4000m", "10000")), List.of(), Map.of("node1", 50L)),
                // BalancedAllocation counts actual requests: nothing requested anywhere is perfectly balanced.
                arguments(Named.of("BalancedAllocation: containers without requests count as zero",
                        new BalancedAllocation()), MakePod.pod("p").req(), List.of(node("node1", "4000m", "1Gi")),
                        List.of(MakePod.pod("placed").node("node1").req().obj()), Map.of("node1", 100L)),
                // Three resources: fractions .25, .5, .25; mean 1/3; deviation sqrt(((1/12)^2*2 + (1/6)^2)/3) = .118
                // -> 88
                arguments(Named.of("BalancedAllocation: standard deviation over three resources",
                        new BalancedAllocation(List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1),
                                new ResourceSpec(GPU, 1)))),
                        MakePod.pod("p").req("cpu", "1000m", "memory", "5000", GPU, "1"),
                        List.of(MakeNode.node("node1").allocatable("cpu", "4000m", "memory", "10000", GPU, "4").obj()),
                        List.of(), Map.of("node1", 88L)),
                // An extended resource the pod does not request is left out: cpu .25 and memory .25 -> 100
                arguments(Named.of("BalancedAllocation: an extended resource the pod does not request is ignored",
                        new BalancedAllocation(List.of(new ResourceSpec("cpu", 1), new ResourceSpec("memory", 1),
                                new ResourceSpec(GPU, 1)))),
                        MakePod.pod("p").req("cpu", "1000m", "memory", "2500"),
                        List.of(MakeNode.node("node1").allocatable("cpu", "4000m", "memory", "10000", GPU, "4").obj()),
                        List.of(MakePod.pod("placed").node("node1").req(GPU, "3").obj()), Map.of("node1", 100L)),
                // Weights: cpu 3 x 25 + memory 1 x 50 over 4 = 31
                arguments(Named.of("LeastAllocated: resource weights", new Fit(java.util.Set.of(), java.util.Set.of(),
                        List.of(new ResourceSpec("cpu", 3), new ResourceSpec("memory", 1)))), cpuAndMemory(),
                        List.of(node("node1", "4000m", "10000")), List.of(), Map.of("node1", 31L)));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void scores(Plugin plugin, MakePod pod, List<ObjectNode> nodes, List<ObjectNode> placed,
                Map<String, Long> expected) {
        assertThat(Plugins.scores(plugin, pod.obj(), Plugins.snapshot(nodes, placed))).isEqualTo(expected);
    }
}
