package dev.kumo.controllers.scheduler.plugins.defaultpreemption;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.Profile;
import dev.kumo.controllers.scheduler.ScheduleOutcome;
import dev.kumo.controllers.scheduler.Scheduler;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.PostFilterResult;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Preemption's dry run through whole cycles, after kube-scheduler's TestSelectNodesForPreemption and TestPickOneNodeForPreemption. */
class DefaultPreemptionTest {
    private static ObjectNode node(String name, String cpu) {
        return MakeNode.node(name).allocatable("cpu", cpu, "memory", "8Gi", "pods", "110").obj();
    }

    private static PostFilterResult preempt(ObjectNode pod, List<ObjectNode> nodes, List<ObjectNode> placed) {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(nodes).pods(placed).build();
        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null).schedule(pod, snapshot);
        assertThat(outcome).isInstanceOf(ScheduleOutcome.Unschedulable.class);
        return ((ScheduleOutcome.Unschedulable) outcome).postFilter();
    }

    private static List<String> names(List<PodInfo> pods) {
        return pods.stream().map(PodInfo::name).toList();
    }

    @Test
    void aLowerPriorityPodMakesRoom() {
        PostFilterResult result = preempt(MakePod.pod("p").priority(100).req("cpu", "1").obj(),
                List.of(node("node1", "2")),
                List.of(MakePod.pod("low").priority(0).node("node1").req("cpu", "1500m").obj()));

        assertThat(result.status().code()).isEqualTo(Status.Code.SUCCESS);
        assertThat(result.nominatedNode()).isEqualTo("node1");
        assertThat(names(result.victims())).containsExactly("low");
    }

    /** Both low pods are removed for the trial; the more important one is put back and still leaves room. */
    @Test
    void asFewVictimsAsNeededTheLeastImportantFirst() {
        PostFilterResult result = preempt(MakePod.pod("p").priority(100).req("cpu", "1").obj(),
                List.of(node("node1", "2")),
                List.of(MakePod.pod("low-1").priority(1).node("node1").req("cpu", "1").obj(),
                        MakePod.pod("low-2").priority(2).node("node1").req("cpu", "1").obj()));

        assertThat(names(result.victims())).containsExactly("low-1");
    }

    @Test
    void equalPriorityPodsAreNotVictims() {
        PostFilterResult result = preempt(MakePod.pod("p").priority(100).req("cpu", "1").obj(),
                List.of(node("node1", "2")),
                List.of(MakePod.pod("peer").priority(100).node("node1").req("cpu", "2").obj()));

        assertThat(result.status().code()).isEqualTo(Status.Code.UNSCHEDULABLE);
        assertThat(result.status().message()).isEqualTo("preemption: 0/1 nodes are available: 1 No preemption "
                + "victims found for incoming pod.");
    }

    /** The node whose most important victim is least important wins; then the smaller priority sum. */
    @Test
    void theNodeWithTheLeastImportantVictimsIsChosen() {
        PostFilterResult result = preempt(MakePod.pod("p").priority(100).req("cpu", "2").obj(),
                List.of(node("node1", "2"), node("node2", "2"), node("node3", "2")),
                List.of(MakePod.pod("mid").priority(50).node("node1").req("cpu", "2").obj(),
                        MakePod.pod("low-a").priority(10).node("node2").req("cpu", "1").obj(),
                        MakePod.pod("low-b").priority(10).node("node2").req("cpu", "1").obj(),
                        MakePod.pod("low-c").priority(10).node("node3").req("cpu", "2").obj()));

        assertThat(result.nominatedNode()).isEqualTo("node3");
        assertThat(names(result.victims())).containsExactly("low-c");
    }

    /** Anti-affinity is Unschedulable, not unresolvable: evicting the lower-priority pod it refers to helps. */
    @Test
    void preemptionResolvesAntiAffinityToALowerPriorityPod() {
        PostFilterResult result = preempt(MakePod.pod("p").priority(100).spec("affinity", """
                        {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                          {"labelSelector":{"matchLabels":{"app":"batch"}},"topologyKey":"kubernetes.io/hostname"}]}}""").obj(),
                List.of(MakeNode.node("node1").label("kubernetes.io/hostname", "node1").allocatable("pods", "110")
                        .obj()),
                List.of(MakePod.pod("batch").label("app", "batch").priority(0).node("node1").obj()));

        assertThat(result.nominatedNode()).isEqualTo("node1");
        assertThat(names(result.victims())).containsExactly("batch");
    }

    @Test
    void aPodWaitsForTheVictimsOfAnEarlierPreemptionOnItsNominatedNode() {
        PostFilterResult result = preempt(MakePod.pod("p").priority(100).req("cpu", "1")
                        .status("nominatedNodeName", "\"node1\"").obj(),
                List.of(node("node1", "2")),
                List.of(MakePod.pod("leaving").priority(0).node("node1").req("cpu", "2").terminating().obj()));

        assertThat(result.status().message())
                .isEqualTo("preemption: not eligible due to a terminating pod on the nominated node.");
    }
}
