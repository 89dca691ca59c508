package dev.kumo.controllers.endpointslice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.endpoints.EndpointSubsets.Port;
import dev.kumo.controllers.endpoints.EndpointSubsets.TargetRef;
import dev.kumo.controllers.endpoints.ServiceInfo;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The slice planner alone: which slices a service's endpoints go to, with as little churn as kube's. */
class SlicePlannerTest {
    private static final ServiceInfo SERVICE = ServiceInfo.of(TestCluster.object("""
            {"metadata":{"name":"web","namespace":"ns","uid":"svc-uid"},
             "spec":{"selector":{"app":"web"},"clusterIP":"10.96.0.10","ipFamilies":["IPv4"],
                     "ports":[{"name":"http","port":80,"targetPort":8080,"protocol":"TCP"}]}}"""));
    private static final List<Port> PORTS = List.of(new Port("http", 8080, "TCP", ""));
    private final SlicePlanner planner = new SlicePlanner(3);

    private static SliceEndpoint endpoint(int i) {
        return new SliceEndpoint(List.of("10.0.0." + i), true, true, false, "", "node-a", "",
                new TargetRef("Pod", "ns", "pod-" + i, "uid-" + i));
    }

    private static Map<String, SlicePlanner.Group> desired(int... pods) {
        Map<String, SliceEndpoint> endpoints = new TreeMap<>();
        for (int i : pods) {
            endpoints.put(endpoint(i).key(), endpoint(i));
        }
        Map<String, SlicePlanner.Group> groups = new LinkedHashMap<>();
        groups.put(SlicePlanner.portsKey(PORTS), new SlicePlanner.Group(PORTS, endpoints));
        return groups;
    }

    private static Slice existing(String name, String ownerUid, int... pods) {
        Slice slice = Slice.create(SERVICE, PORTS, "IPv4");
        ObjectNode json = slice.toJson();
        ((ObjectNode) json.path("metadata")).put("name", name).put("uid", name + "-uid").put("resourceVersion", "7");
        ((ObjectNode) json.path("metadata").path("ownerReferences").get(0)).put("uid", ownerUid);
        var array = json.putArray("endpoints");
        for (int i : pods) {
            array.add(endpoint(i).toJson());
        }
        return Slice.read(json);
    }

    private static List<String> pods(Slice slice) {
        return slice.endpoints().stream().map(e -> e.targetRef().name()).toList();
    }

    @Test
    void newEndpointsGoToTheUnchangedSliceClosestToFull() {
        Slice roomy = existing("web-a", "svc-uid", 1);
        Slice almostFull = existing("web-b", "svc-uid", 2, 3);

        SlicePlanner.Plan plan = planner.plan(SERVICE, "IPv4", List.of(roomy, almostFull), desired(1, 2, 3, 4));

        assertThat(plan.create()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.update()).hasSize(1);
        assertThat(plan.update().getFirst().name()).isEqualTo("web-b");
        assertThat(pods(plan.update().getFirst())).containsExactly("pod-2", "pod-3", "pod-4");
    }

    @Test
    void aSliceThatLostEndpointsIsFilledBeforeAnyOther() {
        Slice shrinking = existing("web-a", "svc-uid", 1, 2);
        Slice untouched = existing("web-b", "svc-uid", 3);

        SlicePlanner.Plan plan = planner.plan(SERVICE, "IPv4", List.of(shrinking, untouched), desired(2, 3, 5));

        assertThat(plan.update()).hasSize(1);
        assertThat(plan.update().getFirst().name()).isEqualTo("web-a");
        assertThat(pods(plan.update().getFirst())).containsExactly("pod-2", "pod-5");
    }

    @Test
    void aCreateAndADeleteBecomeOneUpdateOfTheSliceThatWouldGo() {
        // A slice of other ports whose endpoints all moved: it would be deleted and a new one created.
        List<Port> oldPorts = List.of(new Port("http", 9090, "TCP", ""));
        Slice stale = existing("web-a", "svc-uid", 1);
        ObjectNode json = stale.toJson();
        json.set("ports", Slice.portsJson(oldPorts));
        stale = Slice.read(json);

        SlicePlanner.Plan plan = planner.plan(SERVICE, "IPv4", List.of(stale), desired(1, 2));

        assertThat(plan.create()).isEmpty();
        assertThat(plan.delete()).isEmpty();
        assertThat(plan.update()).hasSize(1);
        Slice updated = plan.update().getFirst();
        assertThat(updated.name()).isEqualTo("web-a");
        assertThat(updated.toJson().path("metadata").path("resourceVersion").asText()).isEqualTo("7");
        assertThat(updated.ports()).isEqualTo(PORTS);
        assertThat(pods(updated)).containsExactly("pod-1", "pod-2");
    }

    @Test
    void slicesOfAnEarlierServiceOfTheSameNameAreReplaced() {
        Slice foreign = existing("web-a", "old-service-uid", 1);

        SlicePlanner.Plan plan = planner.plan(SERVICE, "IPv4", List.of(foreign), desired(1));

        assertThat(plan.update()).isEmpty();
        assertThat(plan.delete()).extracting(Slice::name).containsExactly("web-a");
        assertThat(plan.create()).hasSize(1);
        assertThat(pods(plan.create().getFirst())).containsExactly("pod-1");
    }

    @Test
    void anEndpointWhoseConditionsChangedIsUpdatedInPlace() {
        Slice slice = existing("web-a", "svc-uid", 1, 2);
        Map<String, SlicePlanner.Group> desired = desired(1, 2);
        SliceEndpoint notReady = new SliceEndpoint(List.of("10.0.0.2"), false, false, true, "", "node-a", "",
                new TargetRef("Pod", "ns", "pod-2", "uid-2"));
        desired.values().iterator().next().endpoints().put(notReady.key(), notReady);

        SlicePlanner.Plan plan = planner.plan(SERVICE, "IPv4", List.of(slice), desired);

        assertThat(plan.update()).hasSize(1);
        assertThat(plan.update().getFirst().endpoints().get(1)).isEqualTo(notReady);
        SlicePlanner.Plan again = planner.plan(SERVICE, "IPv4", List.of(slice), desired(1, 2));
        assertThat(again.create()).isEmpty();
        assertThat(again.update()).isEmpty();
        assertThat(again.delete()).isEmpty();
    }
}
