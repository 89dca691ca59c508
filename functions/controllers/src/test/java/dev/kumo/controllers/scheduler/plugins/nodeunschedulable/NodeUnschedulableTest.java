package dev.kumo.controllers.scheduler.plugins.nodeunschedulable;

import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** After kube-scheduler's TestNodeUnschedulable. */
class NodeUnschedulableTest {
    static Stream<Arguments> cases() {
        return Stream.of(
                arguments(Named.of("Does not schedule pod to unschedulable node (node.Spec.Unschedulable==true)",
                        MakePod.pod("p")), MakeNode.node("n").unschedulable(), false),
                arguments(Named.of("Schedule pod to normal node", MakePod.pod("p")), MakeNode.node("n"), true),
                arguments(Named.of("Schedule pod with toleration to unschedulable node (node.Spec.Unschedulable==true)",
                        MakePod.pod("p").toleration("node.kubernetes.io/unschedulable", "", "", "NoSchedule")),
                        MakeNode.node("n").unschedulable(), true),
                arguments(Named.of("A toleration of another effect does not count",
                        MakePod.pod("p").toleration("node.kubernetes.io/unschedulable", "Exists", "", "NoExecute")),
                        MakeNode.node("n").unschedulable(), false),
                arguments(Named.of("A toleration of every taint tolerates cordoning too",
                        MakePod.pod("p").toleration("", "Exists", "", "")), MakeNode.node("n").unschedulable(), true));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void filter(MakePod pod, MakeNode node, boolean fits) {
        Status status = Plugins.filter(new NodeUnschedulable(), pod.obj(),
                Plugins.snapshot(List.of(node.obj()), List.of()), "n");

        if (fits) {
            assertThat(status.isSuccess()).isTrue();
        } else {
            assertThat(status).isEqualTo(Status.unresolvable("node(s) were unschedulable"));
        }
    }
}
