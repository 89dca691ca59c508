package dev.kumo.controllers.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The FailedScheduling message of whole cycles with the default profile: reasons counted per node and sorted as
 * strings, a PreFilter's message standing for all nodes, nodes a PreFilter left out, and DefaultPreemption's part.
 */
class FailedSchedulingMessageTest {

    private static ObjectNode node(String name, String cpu) {
        return MakeNode.node(name).allocatable("cpu", cpu, "memory", "8Gi", "pods", "110").obj();
    }

    private static List<ObjectNode> many(int count, java.util.function.IntFunction<ObjectNode> node) {
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(node.apply(i));
        }
        return nodes;
    }

    private static String matchFields(String... names) {
        return """
                {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                  {"matchFields":[{"key":"metadata.name","operator":"In","values":%s}]}]}}}"""
                .formatted(dev.kumo.controllers.scheduler.testing.Json.MAPPER.valueToTree(names));
    }

    static Stream<Arguments> cases() {
        List<ObjectNode> ssdAndTwoPlain = List.of(
                MakeNode.node("node1").label("disk", "ssd").allocatable("cpu", "1", "memory", "8Gi", "pods", "110").obj(),
                node("node2", "4"), node("node3", "4"));
        return Stream.of(
                arguments(Named.of("one node too small, two not selected; preemption finds no victim on the small one",
                                MakePod.pod("p").req("cpu", "2").nodeSelector("disk", "ssd")), ssdAndTwoPlain, List.of(),
                        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't match Pod's node "
                                + "affinity/selector. preemption: 0/3 nodes are available: 1 No preemption victims found "
                                + "for incoming pod, 2 Preemption is not helpful for scheduling."),
                arguments(Named.of("no node is selected: preemption is not helpful anywhere",
                                MakePod.pod("p").nodeSelector("disk", "nvme")), ssdAndTwoPlain, List.of(),
                        "0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector. preemption: "
                                + "0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
                arguments(Named.of("counts sort as strings: 10 before 2", MakePod.pod("p")),
                        many(12, i -> i < 10 ? MakeNode.node("n" + i).taint("a", "b", "NoSchedule").obj()
                                : MakeNode.node("n" + i).unschedulable().obj()), List.of(),
                        "0/12 nodes are available: 10 node(s) had untolerated taint {a: b}, 2 node(s) were "
                                + "unschedulable. preemption: 0/12 nodes are available: 12 Preemption is not helpful for "
                                + "scheduling."),
                arguments(Named.of("every reason of a node counts", MakePod.pod("p").req("cpu", "2", "memory", "16Gi")),
                        List.of(node("node1", "1")), List.of(),
                        "0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient memory. preemption: 0/1 nodes "
                                + "are available: 1 No preemption victims found for incoming pod."),
                arguments(Named.of("only the first failing filter speaks for a node",
                                MakePod.pod("p").req("cpu", "2").nodeSelector("disk", "ssd")),
                        List.of(node("node1", "1")), List.of(),
                        "0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: "
                                + "0/1 nodes are available: 1 Preemption is not helpful for scheduling."),
                arguments(Named.of("a PreFilter rejection: its message once, for all nodes",
                                MakePod.pod("p").spec("affinity", """
                                        {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
                                          {"matchFields":[{"key":"metadata.name","operator":"In","values":["node1"]},
                                                          {"key":"metadata.name","operator":"In","values":["node2"]}]}]}}}""")),
                        ssdAndTwoPlain, List.of(),
                        "0/3 nodes are available: pod affinity terms conflict. preemption: 0/3 nodes are available: "
                                + "3 Preemption is not helpful for scheduling."),
                arguments(Named.of("nodes a PreFilter left out count with the plugin's name",
                                MakePod.pod("p").req("cpu", "2").spec("affinity", matchFields("node1"))),
                        ssdAndTwoPlain, List.of(),
                        "0/3 nodes are available: 1 Insufficient cpu, 2 node(s) didn't satisfy plugin(s) "
                                + "[NodeAffinity]. preemption: 0/3 nodes are available: 1 No preemption victims found "
                                + "for incoming pod, 2 Preemption is not helpful for scheduling."),
                arguments(Named.of("a PreFilter naming only unknown nodes leaves all out",
                                MakePod.pod("p").spec("affinity", matchFields("ghost"))), ssdAndTwoPlain, List.of(),
                        "0/3 nodes are available: 3 node(s) didn't satisfy plugin(s) [NodeAffinity]. preemption: "
                                + "0/3 nodes are available: 3 Preemption is not helpful for scheduling."),
                arguments(Named.of("a pod that may not preempt says so",
                                MakePod.pod("p").req("cpu", "2").spec("preemptionPolicy", "\"Never\"")),
                        List.of(node("node1", "1")), List.of(),
                        "0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to "
                                + "preemptionPolicy=Never."),
                arguments(Named.of("victims that are not enough: the filter's reason again",
                                MakePod.pod("p").priority(100).req("cpu", "1")),
                        List.of(node("node1", "2")),
                        List.of(MakePod.pod("high").priority(200).node("node1").req("cpu", "1500m").obj(),
                                MakePod.pod("low").priority(0).node("node1").req("cpu", "500m").obj()),
                        "0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: "
                                + "1 Insufficient cpu."),
                arguments(Named.of("preemption that would help: no preemption part",
                                MakePod.pod("p").priority(100).req("cpu", "1")),
                        List.of(node("node1", "2")),
                        List.of(MakePod.pod("low").priority(0).node("node1").req("cpu", "1500m").obj()),
                        "0/1 nodes are available: 1 Insufficient cpu."),
                arguments(Named.of("anti-affinity of a placed pod, and a host port taken",
                                MakePod.pod("p").label("app", "db").hostPorts("TCP//5432")),
                        List.of(MakeNode.node("node1").label("kubernetes.io/hostname", "node1")
                                        .allocatable("pods", "110").obj(),
                                MakeNode.node("node2").allocatable("pods", "110").obj()),
                        List.of(MakePod.pod("lonely").node("node1").spec("affinity", """
                                        {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                                          {"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}]}}""")
                                        .obj(),
                                MakePod.pod("proxy").node("node2").hostPorts("TCP/0.0.0.0/5432").obj()),
                        "0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 "
                                + "node(s) didn't satisfy existing pods anti-affinity rules. preemption: 0/2 nodes are "
                                + "available: 2 No preemption victims found for incoming pod."));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void message(MakePod pod, List<ObjectNode> nodes, List<ObjectNode> placed, String expected) {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(nodes).pods(placed).build();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null).schedule(pod.obj(), snapshot);

        assertThat(outcome).isInstanceOf(ScheduleOutcome.Unschedulable.class);
        assertThat(((ScheduleOutcome.Unschedulable) outcome).message()).isEqualTo(expected);
    }
}
