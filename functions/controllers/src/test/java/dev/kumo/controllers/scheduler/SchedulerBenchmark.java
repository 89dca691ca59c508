package dev.kumo.controllers.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.Workloads;
import dev.kumo.controllers.scheduler.testing.Json;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * How many pods per second the scheduling core places, in memory: every placement is assumed into the snapshot
 * ({@link ClusterSnapshot#assume}, as the loop does), nothing is read or written elsewhere. This is the core's
 * ceiling; the loop adds the reads, the binding write and the event. A main, not a test: timings depend on the
 * machine.
 *
 * <p>Run after {@code mvn -o -q -pl functions/controllers -am test-compile dependency:build-classpath
 * -Dmdep.outputFile=target/test.classpath -Dmdep.includeScope=test} with a JDK 21+:
 * {@code java -cp functions/controllers/target/classes:functions/controllers/target/test-classes:$(cat
 * functions/controllers/target/test.classpath) dev.kumo.controllers.scheduler.SchedulerBenchmark}
 */
public final class SchedulerBenchmark {
    private static final String[] ZONES = {"zone-a", "zone-b", "zone-c"};

    private SchedulerBenchmark() {
    }

    public static void main(String[] args) {
        // Warm the JIT on a throwaway cluster of each kind first.
        for (Scenario scenario : Scenario.values()) {
            run(scenario, 1_000, 100);
        }
        System.out.println("scenario       pods  nodes  placed  unschedulable  seconds   pods/s  us/pod");
        for (Scenario scenario : Scenario.values()) {
            for (int[] size : new int[][]{{1_000, 100}, {5_000, 500}}) {
                Result result = run(scenario, size[0], size[1]);
                System.out.printf(Locale.ROOT, "%-13s %5d  %5d  %6d  %13d  %7.3f  %7.0f  %6.0f%n", scenario.label,
                        size[0], size[1], result.placed, result.unschedulable, result.seconds,
                        size[0] / result.seconds, result.seconds * 1e6 / size[0]);
            }
        }
    }

    /** What the pods look like: all default plugins run for each; the scenarios differ in what has work to do. */
    private enum Scenario {
        /** Bare pods (no owner): resource fit and scoring only. */
        PLAIN("plain", i -> pod(i).obj()),
        /** Deployment pods: default topology spreading over the ReplicaSet's pods by hostname and zone. */
        REPLICA_SET("replicaset", i -> pod(i).controller("apps/v1", "ReplicaSet", "web-" + (i % 10)).obj()),
        /** Deployment pods that also spread by zone (DoNotSchedule) and prefer other hosts than their peers. */
        CONSTRAINED("spread+anti", i -> pod(i).controller("apps/v1", "ReplicaSet", "web-" + (i % 10))
                .spec("topologySpreadConstraints", """
                        [{"maxSkew":1,"topologyKey":"topology.kubernetes.io/zone","whenUnsatisfiable":"DoNotSchedule",
                          "labelSelector":{"matchLabels":{"app":"web-%d"}}}]""".formatted(i % 10))
                .spec("affinity", """
                        {"podAntiAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[{"weight":100,
                          "podAffinityTerm":{"labelSelector":{"matchLabels":{"app":"web-%d"}},
                          "topologyKey":"kubernetes.io/hostname"}}]}}""".formatted(i % 10)).obj());

        private final String label;
        private final IntFunction<ObjectNode> pods;

        Scenario(String label, IntFunction<ObjectNode> pods) {
            this.label = label;
            this.pods = pods;
        }
    }

    private static MakePod pod(int i) {
        return MakePod.pod("web-" + i).label("app", "web-" + (i % 10)).req("cpu", "100m", "memory", "128Mi");
    }

    private record Result(int placed, int unschedulable, double seconds) {
    }

    private static Result run(Scenario scenario, int podCount, int nodeCount) {
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < nodeCount; i++) {
            String name = String.format("node-%04d", i);
            nodes.add(MakeNode.node(name).label("kubernetes.io/hostname", name)
                    .label("topology.kubernetes.io/zone", ZONES[i % ZONES.length])
                    .allocatable("cpu", "32", "memory", "128Gi", "pods", "110", "ephemeral-storage", "100Gi").obj());
        }
        List<com.fasterxml.jackson.databind.JsonNode> replicaSets = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            replicaSets.add(Json.parse("{\"metadata\":{\"name\":\"web-" + i + "\",\"namespace\":\"default\"},"
                    + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web-" + i + "\"}}}}"));
        }
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(nodes)
                .workloads(Workloads.of(List.of(), List.of(), replicaSets, List.of())).build();
        List<ObjectNode> pods = new ArrayList<>(podCount);
        for (int i = 0; i < podCount; i++) {
            pods.add(scenario.pods.apply(i));
        }
        Scheduler scheduler = new Scheduler(Profile.defaults(), new Random(1));
        int placed = 0;
        int unschedulable = 0;
        long start = System.nanoTime();
        for (ObjectNode pod : pods) {
            ScheduleOutcome outcome = scheduler.schedule(pod, snapshot);
            if (outcome instanceof ScheduleOutcome.Scheduled scheduled) {
                snapshot.assume(scheduled.pod(), scheduled.nodeName());
                placed++;
            } else {
                unschedulable++;
            }
        }
        return new Result(placed, unschedulable, (System.nanoTime() - start) / 1e9);
    }
}
