package dev.kumo.controllers.scheduler;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.NodeInfo;
import dev.kumo.controllers.scheduler.framework.Resource;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The reservation seam: what the scheduler hands over, and what a conditional writer can prove with it. */
class ReservationTest {
    private static ObjectNode node(String name, String cpu, String pods) {
        return MakeNode.node(name).allocatable("cpu", cpu, "memory", "8Gi", "pods", pods).obj();
    }

    @Test
    void aReservedPodIsAssumedIntoTheSnapshotWithItsAssignment() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(node("n1", "4", "10")))
                .pods(List.of(MakePod.pod("placed").node("n1").req("cpu", "1").obj())).build();
        List<Assignment> seen = new ArrayList<>();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null).scheduleOne(
                MakePod.pod("p").req("cpu", "500m", "memory", "1Gi").obj(), snapshot, a -> {
                    seen.add(a);
                    return Reservation.Result.reserved();
                });

        assertThat(outcome).isInstanceOf(ScheduleOutcome.Reserved.class);
        Assignment assignment = seen.get(0);
        assertThat(assignment.nodeName()).isEqualTo("n1");
        assertThat(assignment.pod().nodeName()).isEqualTo("n1");
        assertThat(assignment.podRequests()).isEqualTo(new Resource(500, 1L << 30, 0, 1, Map.of()));
        assertThat(assignment.nodeRequested()).isEqualTo(new Resource(1000, 0, 0, 1, Map.of()));
        assertThat(assignment.nodeAllocatable()).isEqualTo(new Resource(4000, 8L << 30, 0, 10, Map.of()));
        NodeInfo n1 = snapshot.get("n1");
        assertThat(n1.pods()).extracting(p -> p.name()).containsExactly("placed", "p");
        assertThat(n1.requested()).isEqualTo(new Resource(1500, 1L << 30, 0, 2, Map.of()));
    }

    @Test
    void aRejectedReservationLeavesTheSnapshotAsItWas() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(node("n1", "4", "10"))).build();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null).scheduleOne(
                MakePod.pod("p").req("cpu", "1").obj(), snapshot,
                a -> Reservation.Result.rejected("node n1 has no room left"));

        assertThat(outcome).isInstanceOf(ScheduleOutcome.ReservationRejected.class);
        assertThat(((ScheduleOutcome.ReservationRejected) outcome).reason()).isEqualTo("node n1 has no room left");
        assertThat(snapshot.get("n1").pods()).isEmpty();
        assertThat(snapshot.get("n1").requested()).isEqualTo(Resource.ZERO);
    }

    @Test
    void unschedulablePodsReachNoReservation() {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(node("n1", "1", "10"))).build();

        ScheduleOutcome outcome = new Scheduler(Profile.defaults(), null).scheduleOne(
                MakePod.pod("p").req("cpu", "2").obj(), snapshot, a -> {
                    throw new AssertionError("reserved an unschedulable pod");
                });

        assertThat(outcome).isInstanceOf(ScheduleOutcome.Unschedulable.class);
    }

    /** Assignment.fitsOn is NodeResourcesFit's rule against a stored allocation: cpu 4, 3 pods allowed. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "room left, 1000, 1000, 0, true",
            "exactly full afterwards, 1000, 3000, 2, true",
            "cpu taken meanwhile, 1000, 3001, 2, false",
            "pod count reached, 0, 0, 3, false",
            "a pod without requests needs only a pod slot, 0, 4000, 2, true"})
    void fitsOn(String name, long podCpu, long allocatedCpu, long allocatedPods, boolean fits) {
        Assignment assignment = new Assignment(MakePod.pod("p").info(), "n1", new Resource(podCpu, 0, 0, 1, Map.of()),
                new Resource(4000, 1 << 20, 0, 3, Map.of()), Resource.ZERO);

        assertThat(assignment.fitsOn(new Resource(allocatedCpu, 0, 0, allocatedPods, Map.of()))).isEqualTo(fits);
    }

    @Test
    void scalarResourcesAreCheckedToo() {
        Assignment assignment = new Assignment(MakePod.pod("p").info(), "n1",
                new Resource(0, 0, 0, 1, Map.of("nvidia.com/gpu", 1L)),
                new Resource(4000, 1 << 20, 0, 3, Map.of("nvidia.com/gpu", 2L)), Resource.ZERO);

        assertThat(assignment.fitsOn(new Resource(0, 0, 0, 0, Map.of("nvidia.com/gpu", 1L)))).isTrue();
        assertThat(assignment.fitsOn(new Resource(0, 0, 0, 0, Map.of("nvidia.com/gpu", 2L)))).isFalse();
    }

    /**
     * Four schedulers, each with its own snapshot that never sees the others' placements, place 1-cpu pods on 5
     * nodes of 10 cpu. The reservation here is a model of the conditional write the API wiring will make (check
     * the stored allocation and add to it atomically); with it no node is ever overcommitted, every cpu is used,
     * and the pods that did not get one are told so.
     */
    @Test
    void parallelSchedulersWithStaleSnapshotsNeverOvercommitThroughAConditionalReservation() throws Exception {
        List<ObjectNode> nodes = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            nodes.add(node("n" + i, "10", "110"));
        }
        Map<String, Resource> allocations = new HashMap<>();
        Reservation conditional = assignment -> {
            synchronized (allocations) {
                Resource stored = allocations.getOrDefault(assignment.nodeName(), Resource.ZERO);
                if (!assignment.fitsOn(stored)) {
                    return Reservation.Result.rejected("node " + assignment.nodeName() + " is full");
                }
                allocations.put(assignment.nodeName(), stored.plus(assignment.podRequests()));
                return Reservation.Result.reserved();
            }
        };
        AtomicInteger placed = new AtomicInteger();
        AtomicInteger unschedulable = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> runs = new ArrayList<>();
        for (int worker = 0; worker < 4; worker++) {
            int id = worker;
            runs.add(pool.submit(() -> {
                ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(nodes).build();
                Scheduler scheduler = new Scheduler(Profile.defaults(), new java.util.Random(id));
                for (int i = 0; i < 20; i++) {
                    ObjectNode pod = MakePod.pod("w" + id + "-" + i).req("cpu", "1").obj();
                    ScheduleOutcome outcome = scheduler.scheduleOne(pod, snapshot, conditional);
                    // A rejection means the snapshot is stale: refresh the node's placed pods and try again.
                    while (outcome instanceof ScheduleOutcome.ReservationRejected rejected) {
                        fill(snapshot, rejected.assignment().nodeName(), allocations);
                        outcome = scheduler.scheduleOne(pod, snapshot, conditional);
                    }
                    if (outcome instanceof ScheduleOutcome.Reserved) {
                        placed.incrementAndGet();
                    } else if (outcome instanceof ScheduleOutcome.Unschedulable) {
                        unschedulable.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> run : runs) {
            run.get();
        }
        pool.shutdown();

        assertThat(allocations.values()).allSatisfy(r -> assertThat(r.milliCpu()).isLessThanOrEqualTo(10_000));
        assertThat(allocations.values().stream().mapToLong(Resource::milliCpu).sum()).isEqualTo(50_000);
        assertThat(placed.get()).isEqualTo(50);
        assertThat(unschedulable.get()).isEqualTo(30);
    }

    /** Makes the snapshot's node hold as many placeholder 1-cpu pods as the store says are placed on it. */
    private static void fill(ClusterSnapshot snapshot, String nodeName, Map<String, Resource> allocations) {
        long stored;
        synchronized (allocations) {
            stored = allocations.getOrDefault(nodeName, Resource.ZERO).pods();
        }
        NodeInfo node = snapshot.get(nodeName);
        for (long i = node.pods().size(); i < stored; i++) {
            snapshot.assume(MakePod.pod(nodeName + "-seen-" + i).req("cpu", "1").info(), nodeName);
        }
    }
}
