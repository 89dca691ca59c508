package dev.kumo.controllers.scheduler.loop;

import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.PodInfo;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which pods only the holder of the positions lease may place. */
class PodPositionsTest {
    private static final String AWAY_FROM_WEB = """
            {"podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
              {"labelSelector":{"matchLabels":{"app":"web"}},"topologyKey":"kubernetes.io/hostname"}]}}""";

    private final ClusterSnapshot empty = Plugins.snapshot(List.of(MakeNode.node("n1").obj()), List.of());

    @Test
    void aPodWithRequiredPodAffinityOrAntiAffinityDependsOnPositions() {
        assertThat(depends(MakePod.pod("p").spec("affinity", AWAY_FROM_WEB).info(), empty, List.of())).isTrue();
        assertThat(depends(MakePod.pod("p").spec("affinity", """
                {"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                  {"labelSelector":{"matchLabels":{"app":"db"}},"topologyKey":"kubernetes.io/hostname"}]}}""")
                .info(), empty, List.of())).isTrue();
    }

    @Test
    void onlyDoNotScheduleSpreadConstraintsMakeAPodDependOnPositions() {
        String constraint = """
                [{"maxSkew":1,"topologyKey":"kubernetes.io/hostname","whenUnsatisfiable":"%s",
                  "labelSelector":{"matchLabels":{"app":"web"}}}]""";
        assertThat(depends(MakePod.pod("p").spec("topologySpreadConstraints", constraint.formatted("DoNotSchedule"))
                .info(), empty, List.of())).isTrue();
        assertThat(depends(MakePod.pod("p").spec("topologySpreadConstraints", constraint.formatted("ScheduleAnyway"))
                .info(), empty, List.of())).isFalse();
        assertThat(depends(MakePod.pod("p").spec("affinity", """
                {"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":10,
                  "podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"web"}},
                                     "topologyKey":"kubernetes.io/hostname"}}]}}""").info(), empty, List.of()))
                .as("preferred terms only score").isFalse();
    }

    @Test
    void aBarePodDependsOnPositionsWhenAPlacedOrWaitingPodsRequiredAntiAffinitySelectsIt() {
        PodInfo web = MakePod.pod("web").label("app", "web").info();
        PodInfo db = MakePod.pod("db").label("app", "db").info();
        assertThat(depends(web, empty, List.of())).isFalse();

        ClusterSnapshot placed = Plugins.snapshot(List.of(MakeNode.node("n1").obj()),
                List.of(MakePod.pod("loner").node("n1").spec("affinity", AWAY_FROM_WEB).obj()));
        assertThat(depends(web, placed, List.of())).as("placed").isTrue();
        assertThat(depends(db, placed, List.of())).isFalse();

        PodInfo waiting = MakePod.pod("loner").spec("affinity", AWAY_FROM_WEB).info();
        assertThat(depends(web, empty, List.of(waiting))).as("waiting").isTrue();
        assertThat(depends(db, empty, List.of(waiting))).isFalse();
    }

    private static boolean depends(PodInfo pod, ClusterSnapshot snapshot, List<PodInfo> waiting) {
        return PodPositions.dependOnOthers(pod, snapshot, waiting);
    }
}
