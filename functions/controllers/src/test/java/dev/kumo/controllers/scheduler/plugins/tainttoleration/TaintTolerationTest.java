package dev.kumo.controllers.scheduler.plugins.tainttoleration;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.Status;
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

/** After kube-scheduler's TestTaintTolerationFilter and TestTaintTolerationScore. */
class TaintTolerationTest {
    private static final String NO_SCHEDULE = "NoSchedule";
    private static final String PREFER = "PreferNoSchedule";

    static Stream<Arguments> filterCases() {
        return Stream.of(
                arguments(Named.of("A pod having no tolerations can't be scheduled onto a node with nonempty taints",
                        MakePod.pod("p")), MakeNode.node("n").taint("dedicated", "user1", NO_SCHEDULE),
                        "node(s) had untolerated taint {dedicated: user1}"),
                arguments(Named.of("A pod which can be scheduled on a dedicated node assigned to user1 with effect "
                                + "NoSchedule", MakePod.pod("p").toleration("dedicated", "Equal", "user1", NO_SCHEDULE)),
                        MakeNode.node("n").taint("dedicated", "user1", NO_SCHEDULE), null),
                arguments(Named.of("A pod which can't be scheduled on a dedicated node assigned to user2 with effect "
                                + "NoSchedule", MakePod.pod("p").toleration("dedicated", "Equal", "user2", NO_SCHEDULE)),
                        MakeNode.node("n").taint("dedicated", "user1", NO_SCHEDULE),
                        "node(s) had untolerated taint {dedicated: user1}"),
                arguments(Named.of("A pod can be scheduled onto the node, with a toleration uses operator Exists that "
                                + "tolerates the taints on the node", MakePod.pod("p").toleration("foo", "Exists", "", NO_SCHEDULE)),
                        MakeNode.node("n").taint("foo", "bar", NO_SCHEDULE), null),
                arguments(Named.of("A pod has multiple tolerations, node has multiple taints, all the taints are "
                                + "tolerated, pod can be scheduled onto the node",
                                MakePod.pod("p").toleration("dedicated", "Equal", "user2", NO_SCHEDULE)
                                        .toleration("foo", "Exists", "", NO_SCHEDULE)),
                        MakeNode.node("n").taint("dedicated", "user2", NO_SCHEDULE).taint("foo", "bar", NO_SCHEDULE),
                        null),
                arguments(Named.of("A pod has a toleration that keys and values match the taint on the node, but "
                                + "(non-empty) effect doesn't match, can't be scheduled onto the node",
                                MakePod.pod("p").toleration("foo", "Equal", "bar", PREFER)),
                        MakeNode.node("n").taint("foo", "bar", NO_SCHEDULE),
                        "node(s) had untolerated taint {foo: bar}"),
                arguments(Named.of("The pod has a toleration that keys and values match the taint on the node, the "
                                + "effect of toleration is empty, and the effect of taint is NoSchedule. Pod can be scheduled "
                                + "onto the node", MakePod.pod("p").toleration("foo", "Equal", "bar", "")),
                        MakeNode.node("n").taint("foo", "bar", NO_SCHEDULE), null),
                arguments(Named.of("The pod has a toleration that key and value don't match the taint on the node, "
                                + "but the effect of taint on node is PreferNoSchedule. Pod can be scheduled onto the node",
                                MakePod.pod("p").toleration("dedicated", "Equal", "user2", NO_SCHEDULE)),
                        MakeNode.node("n").taint("dedicated", "user1", PREFER), null),
                arguments(Named.of("The pod has no toleration, but the effect of taint on node is PreferNoSchedule. "
                        + "Pod can be scheduled onto the node", MakePod.pod("p")),
                        MakeNode.node("n").taint("dedicated", "user1", PREFER), null),
                arguments(Named.of("A NoExecute taint keeps pods off too, and an empty value is printed empty",
                        MakePod.pod("p")), MakeNode.node("n").taint("node.kubernetes.io/unreachable", "", "NoExecute"),
                        "node(s) had untolerated taint {node.kubernetes.io/unreachable: }"),
                arguments(Named.of("A toleration with an empty key and Exists tolerates every taint",
                        MakePod.pod("p").toleration("", "Exists", "", "")),
                        MakeNode.node("n").taint("a", "b", NO_SCHEDULE).taint("c", "", "NoExecute"), null),
                arguments(Named.of("The first untolerated taint in the node's order is reported",
                        MakePod.pod("p").toleration("a", "Exists", "", "")),
                        MakeNode.node("n").taint("a", "1", NO_SCHEDULE).taint("b", "2", NO_SCHEDULE)
                                .taint("c", "3", NO_SCHEDULE), "node(s) had untolerated taint {b: 2}"));
    }

    @ParameterizedTest
    @MethodSource("filterCases")
    void filter(MakePod pod, MakeNode node, String reason) {
        Status status = Plugins.filter(new TaintToleration(), pod.obj(),
                Plugins.snapshot(List.of(node.obj()), List.of()), "n");

        if (reason == null) {
            assertThat(status.isSuccess()).as(status.toString()).isTrue();
        } else {
            assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
            assertThat(status.reasons()).containsExactly(reason);
        }
    }

    static Stream<Arguments> scoreCases() {
        return Stream.of(
                arguments(Named.of("node with taints tolerated by the pod, gets a higher score than those node with "
                                + "intolerable taints", MakePod.pod("p").toleration("foo", "Equal", "bar", PREFER)),
                        List.of(MakeNode.node("nodeA").taint("foo", "bar", PREFER).obj(),
                                MakeNode.node("nodeB").taint("foo", "blah", PREFER).obj()),
                        Map.of("nodeA", 100L, "nodeB", 0L)),
                arguments(Named.of("the nodes that all of their taints are tolerated by the pod, get the same score, "
                                + "no matter how many tolerable taints a node has",
                                MakePod.pod("p").toleration("cpu-type", "Equal", "arm64", PREFER)
                                        .toleration("disk-type", "Equal", "ssd", PREFER)),
                        List.of(MakeNode.node("nodeA").obj(),
                                MakeNode.node("nodeB").taint("cpu-type", "arm64", PREFER).obj(),
                                MakeNode.node("nodeC").taint("cpu-type", "arm64", PREFER)
                                        .taint("disk-type", "ssd", PREFER).obj()),
                        Map.of("nodeA", 100L, "nodeB", 100L, "nodeC", 100L)),
                arguments(Named.of("the more intolerable taints a node has, the lower score it gets",
                                MakePod.pod("p").toleration("foo", "Equal", "bar", PREFER)),
                        List.of(MakeNode.node("nodeA").obj(),
                                MakeNode.node("nodeB").taint("cpu-type", "arm64", PREFER).obj(),
                                MakeNode.node("nodeC").taint("cpu-type", "arm64", PREFER)
                                        .taint("disk-type", "ssd", PREFER).obj()),
                        Map.of("nodeA", 100L, "nodeB", 50L, "nodeC", 0L)),
                arguments(Named.of("only taints and tolerations that have effect PreferNoSchedule are checked by "
                                + "prioritizer function", MakePod.pod("p").toleration("cpu-type", "Equal", "arm64", NO_SCHEDULE)
                                .toleration("disk-type", "Equal", "ssd", NO_SCHEDULE)),
                        List.of(MakeNode.node("nodeA").obj(),
                                MakeNode.node("nodeB").taint("cpu-type", "arm64", NO_SCHEDULE).obj(),
                                MakeNode.node("nodeC").taint("cpu-type", "arm64", PREFER)
                                        .taint("disk-type", "ssd", PREFER).obj()),
                        Map.of("nodeA", 100L, "nodeB", 100L, "nodeC", 0L)),
                arguments(Named.of("a toleration without an effect tolerates PreferNoSchedule taints too",
                                MakePod.pod("p").toleration("disk-type", "Equal", "ssd", "")),
                        List.of(MakeNode.node("nodeA").taint("disk-type", "ssd", PREFER).obj(),
                                MakeNode.node("nodeB").taint("cpu-type", "arm64", PREFER).obj(),
                                MakeNode.node("nodeC").taint("cpu-type", "arm64", PREFER)
                                        .taint("gpu", "none", PREFER).obj()),
                        Map.of("nodeA", 100L, "nodeB", 50L, "nodeC", 0L)),
                arguments(Named.of("Default behaviour No taints and tolerations, lands on node with no taints",
                                MakePod.pod("p")),
                        List.of(MakeNode.node("nodeA").obj(),
                                MakeNode.node("nodeB").taint("cpu-type", "arm64", PREFER).obj()),
                        Map.of("nodeA", 100L, "nodeB", 0L)));
    }

    @ParameterizedTest
    @MethodSource("scoreCases")
    void score(MakePod pod, List<ObjectNode> nodes, Map<String, Long> expected) {
        assertThat(Plugins.scores(new TaintToleration(), pod.obj(), Plugins.snapshot(nodes, List.of())))
                .isEqualTo(expected);
    }
}
