package dev.kumo.controllers.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.CycleState;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.framework.Resource;
import dev.kumo.controllers.scheduler.framework.ScorePlugin;
import dev.kumo.controllers.scheduler.plugins.noderesources.Fit;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Whole scheduling cycles with the default profile: which node wins, and how the search is bounded. */
class SchedulerTest {
    private static ObjectNode node(String name, String cpu) {
        return MakeNode.node(name).allocatable("cpu", cpu, "memory", "8Gi", "pods", "110").obj();
    }

    private static List<ObjectNode> identicalNodes(int count) {
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            nodes.add(node(String.format("n%03d", i), "4"));
        }
        return nodes;
    }

    private static ScheduleOutcome.Scheduled scheduled(ScheduleOutcome outcome) {
        assertThat(outcome).isInstanceOf(ScheduleOutcome.Scheduled.class);
        return (ScheduleOutcome.Scheduled) outcome;
    }

    @Test
    void theLeastAllocatedNodeWins() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(node("busy", "4"), node("idle", "4")))
                .pods(List.of(MakePod.pod("placed").node("busy").req("cpu", "3", "memory", "1Gi").obj())).build();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null)
                .schedule(MakePod.pod("p").req("cpu", "500m", "memory", "512Mi").obj(), snapshot);

        assertThat(scheduled(outcome).nodeName()).isEqualTo("idle");
        assertThat(scheduled(outcome).feasibleNodes()).isEqualTo(2);
        assertThat(scheduled(outcome).evaluatedNodes()).isEqualTo(2);
    }

    /** What the loop does with a chosen node: assume the pod there, so that the next cycle counts it. */
    @Test
    void aChosenNodeAssumedIntoTheSnapshotCountsThePod() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder()
                .nodes(List.of(MakeNode.node("n1").allocatable("cpu", "4", "memory", "8Gi", "pods", "10").obj()))
                .pods(List.of(MakePod.pod("placed").node("n1").req("cpu", "1").obj())).build();

        ScheduleOutcome.Scheduled outcome = scheduled(new Scheduler(Profile.defaults(), null)
                .schedule(MakePod.pod("p").req("cpu", "500m", "memory", "1Gi").obj(), snapshot));
        PodInfo placed = snapshot.assume(outcome.pod(), outcome.nodeName());

        assertThat(placed.nodeName()).isEqualTo("n1");
        NodeInfo n1 = snapshot.get("n1");
        assertThat(n1.pods()).extracting(PodInfo::name).containsExactly("placed", "p");
        assertThat(n1.requested()).isEqualTo(new Resource(1500, 1L << 30, 0, 2, Map.of()));
    }

    /**
     * TaintToleration weighs 3: an untolerated PreferNoSchedule taint costs 300 points, more than a fuller node
     * loses on NodeResourcesFit (weight 1) and balance.
     */
    @Test
    void weightsDecideBetweenPlugins() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(
                        MakeNode.node("tainted").allocatable("cpu", "4", "memory", "8Gi", "pods", "110")
                                .taint("spot", "true", "PreferNoSchedule").obj(),
                        node("full", "4")))
                .pods(List.of(MakePod.pod("placed").node("full").req("cpu", "3", "memory", "6Gi").obj())).build();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null)
                .schedule(MakePod.pod("p").req("cpu", "500m", "memory", "512Mi").obj(), snapshot);

        assertThat(scheduled(outcome).nodeName()).isEqualTo("full");
    }

    @Test
    void aPodThatFitsOneNodeOnlyIsPlacedWithoutScoring() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder()
                .nodes(List.of(node("small", "1"), node("large", "8"))).build();
        Profile failingScore = Profile.builder().add(new Fit()).add(new ScorePlugin() {
            @Override
            public String name() {
                return "Exploding";
            }

            @Override
            public long score(CycleState state, PodInfo pod, NodeInfo node) {
                throw new AssertionError("scored a single feasible node");
            }
        }).build();

        ScheduleOutcome outcome = new Scheduler(failingScore, null).schedule(MakePod.pod("p").req("cpu", "4").obj(),
                snapshot);

        assertThat(scheduled(outcome).nodeName()).isEqualTo("large");
        assertThat(scheduled(outcome).evaluatedNodes()).isEqualTo(2);
    }

    @Test
    void aScoreOutsideTheRangeFailsTheAttempt() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(identicalNodes(2)).build();
        Profile profile = Profile.builder().add(new Fit()).add(new ScorePlugin() {
            @Override
            public String name() {
                return "TooHigh";
            }

            @Override
            public long score(CycleState state, PodInfo pod, NodeInfo node) {
                return 101;
            }
        }).build();

        ScheduleOutcome outcome = new Scheduler(profile, null).schedule(MakePod.pod("p").obj(), snapshot);

        assertThat(outcome).isEqualTo(new ScheduleOutcome.Failed(outcome.pod(), "plugin \"TooHigh\" returns an invalid "
                + "score 101, it should in the range of [0, 100] after normalizing"));
    }

    @Test
    void aPluginErrorFailsTheAttemptWithItsMessage() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(identicalNodes(2)).build();
        ObjectNode pod = MakePod.pod("p").spec("topologySpreadConstraints", """
                [{"maxSkew":1,"topologyKey":"zone","whenUnsatisfiable":"DoNotSchedule",
                  "labelSelector":{"matchExpressions":[{"key":"app","operator":"Near","values":["x"]}]}}]""").obj();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null).schedule(pod, snapshot);

        assertThat(outcome).isInstanceOf(ScheduleOutcome.Failed.class);
        assertThat(((ScheduleOutcome.Failed) outcome).message()).isEqualTo("running PreFilter plugin "
                + "\"PodTopologySpread\": get constraints from pod: obtaining pod's hard topology spread constraints: "
                + "\"Near\" is not a valid label selector operator");
    }

    @Test
    void aFailingPluginFailsOnlyThatAttempt() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(identicalNodes(2)).build();
        Profile profile = Profile.builder().add(new dev.kumo.controllers.scheduler.framework.FilterPlugin() {
            @Override
            public String name() {
                return "Broken";
            }

            @Override
            public dev.kumo.controllers.scheduler.framework.Status filter(CycleState state, PodInfo pod,
                                                                          NodeInfo node) {
                if (pod.name().equals("bad")) {
                    throw new IllegalStateException("boom");
                }
                return dev.kumo.controllers.scheduler.framework.Status.SUCCESS;
            }
        }).build();
        Scheduler scheduler = new Scheduler(profile, null);

        ScheduleOutcome bad = scheduler.schedule(MakePod.pod("bad").obj(), snapshot);
        ScheduleOutcome good = scheduler.schedule(MakePod.pod("good").obj(), snapshot);

        assertThat(bad).isEqualTo(new ScheduleOutcome.Failed(bad.pod(),
                "scheduling pod default/bad: java.lang.IllegalStateException: boom"));
        assertThat(good).isInstanceOf(ScheduleOutcome.Scheduled.class);
    }

    @Test
    void withoutNodesTheAttemptFails() {
        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null)
                .schedule(MakePod.pod("p").obj(), ClusterSnapshot.builder().build());

        assertThat(outcome).isInstanceOf(ScheduleOutcome.Failed.class);
        assertThat(((ScheduleOutcome.Failed) outcome).message()).isEqualTo("no nodes available to schedule pods");
    }

    @Test
    void tiesGoToTheFirstNodeSearchedWithoutARandomGenerator() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(identicalNodes(3)).build();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null).schedule(MakePod.pod("p").obj(), snapshot);

        assertThat(scheduled(outcome).nodeName()).isEqualTo("n000");
    }

    @Test
    void tiesAreBrokenAtRandomWithARandomGenerator() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(identicalNodes(3)).build();
        Scheduler scheduler = new Scheduler(Profile.defaults(), new Random(42));
        Set<String> chosen = new HashSet<>();

        for (int i = 0; i < 60; i++) {
            chosen.add(scheduled(scheduler.schedule(MakePod.pod("p" + i).obj(), snapshot)).nodeName());
        }

        assertThat(chosen).containsExactlyInAnyOrder("n000", "n001", "n002");
    }

    @ParameterizedTest(name = "{1} nodes at {0}% -> {2}")
    @CsvSource({"0, 50, 50", "0, 100, 100", "0, 500, 230", "0, 1000, 420", "0, 5000, 500", "0, 6000, 300",
            "10, 500, 100", "70, 500, 350", "100, 500, 500"})
    void numFeasibleNodesToFind(int percentage, int nodes, int expected) {
        assertThat(SchedulingCycle.numFeasibleNodesToFind(percentage, nodes)).isEqualTo(expected);
    }

    /** 500 nodes: the search stops after 230 feasible ones, and the next search starts where this one stopped. */
    @Test
    void largeClustersAreSearchedInPartsThatRotate() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(identicalNodes(500)).build();
        Scheduler scheduler = new Scheduler(Profile.defaults(), null);

        ScheduleOutcome.Scheduled first = scheduled(scheduler.schedule(MakePod.pod("a").obj(), snapshot));
        snapshot.assume(first.pod(), first.nodeName());
        ScheduleOutcome.Scheduled second = scheduled(scheduler.schedule(MakePod.pod("b").obj(), snapshot));

        assertThat(first.nodeName()).isEqualTo("n000");
        assertThat(second.feasibleNodes()).isEqualTo(230);
        assertThat(second.evaluatedNodes()).isEqualTo(230);
        assertThat(second.nodeName()).isEqualTo("n230");
    }

    @Test
    void profileWithAPercentageOfNodesToScore() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(identicalNodes(500)).build();
        Profile profile = Profile.builder().add(new Fit(), 1).percentageOfNodesToScore(100).build();

        assertThat(scheduled(new Scheduler(profile, null).schedule(MakePod.pod("p").obj(), snapshot)).feasibleNodes())
                .isEqualTo(500);
    }

    @Test
    void zonesAreInterleavedInSearchOrder() {
        List<ObjectNode> nodes = List.of(
                MakeNode.node("a1").label("topology.kubernetes.io/zone", "a").obj(),
                MakeNode.node("a2").label("topology.kubernetes.io/zone", "a").obj(),
                MakeNode.node("a3").label("topology.kubernetes.io/zone", "a").obj(),
                MakeNode.node("b1").label("topology.kubernetes.io/zone", "b").obj(),
                MakeNode.node("c1").label("topology.kubernetes.io/region", "r").label("topology.kubernetes.io/zone", "c")
                        .obj(),
                MakeNode.node("b2").label("failure-domain.beta.kubernetes.io/zone", "b").obj());

        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(nodes).build();

        // b2 carries only the deprecated zone label, with b1's value: the same zone.
        assertThat(snapshot.nodes().stream().map(NodeInfo::name))
                .containsExactly("a1", "b1", "c1", "a2", "b2", "a3");
    }
}
