package dev.kumo.controllers.scheduler.plugins.podtopologyspread;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.PreFilterResult;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.framework.Workloads;
import dev.kumo.controllers.scheduler.testing.Json;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** After kube-scheduler's TestSingleConstraint, TestMultipleConstraints and TestPodTopologySpreadScore. */
class PodTopologySpreadTest {
    private static final String FITS = "fits";
    private static final String SKEW = PodTopologySpread.ERR_REASON_CONSTRAINTS_NOT_MATCH;
    private static final String NO_LABEL = PodTopologySpread.ERR_REASON_NODE_LABEL_NOT_MATCH;
    private static final String HOSTNAME = "kubernetes.io/hostname";

    /** node-a and node-b in zone1, node-x and node-y in zone2, each with its hostname label. */
    private static List<ObjectNode> fourNodes() {
        return List.of(node("node-a", "zone1"), node("node-b", "zone1"), node("node-x", "zone2"),
                node("node-y", "zone2"));
    }

    private static ObjectNode node(String name, String zone) {
        MakeNode node = MakeNode.node(name).label(HOSTNAME, name);
        if (zone != null) {
            node.label("zone", zone);
        }
        return node.obj();
    }

    /** One constraint: {"maxSkew":..,"topologyKey":..,"whenUnsatisfiable":..,"labelSelector":{exists key}}, extra fields. */
    private static String constraint(int maxSkew, String key, String when, String selectorKey, String extra) {
        return "{\"maxSkew\":" + maxSkew + ",\"topologyKey\":\"" + key + "\",\"whenUnsatisfiable\":\"" + when
                + "\",\"labelSelector\":{\"matchExpressions\":[{\"key\":\"" + selectorKey
                + "\",\"operator\":\"Exists\"}]}" + extra + "}";
    }

    private static MakePod spreading(String... constraints) {
        return MakePod.pod("incoming").label("foo", "").spec("topologySpreadConstraints",
                "[" + String.join(",", constraints) + "]");
    }

    /** Pods labelled foo: node name and count, node name and count... */
    private static List<ObjectNode> pods(Object... nodeCounts) {
        List<ObjectNode> pods = new ArrayList<>();
        for (int i = 0; i < nodeCounts.length; i += 2) {
            for (int n = 0; n < (int) nodeCounts[i + 1]; n++) {
                pods.add(MakePod.pod("p-" + nodeCounts[i] + n).label("foo", "").node((String) nodeCounts[i]).obj());
            }
        }
        return pods;
    }

    private static Map<String, String> expect(String a, String b, String x, String y) {
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("node-a", a);
        expected.put("node-b", b);
        expected.put("node-x", x);
        expected.put("node-y", y);
        return expected;
    }

    private static final String ZONE_1 = constraint(1, "zone", "DoNotSchedule", "foo", "");

    static Stream<Arguments> filterCases() {
        return Stream.of(
                arguments(Named.of("no existing pods", spreading(ZONE_1)), fourNodes(), List.of(),
                        expect(FITS, FITS, FITS, FITS)),
                arguments(Named.of("no existing pods, incoming pod doesn't match itself",
                        spreading(constraint(1, "zone", "DoNotSchedule", "bar", ""))), fourNodes(), List.of(),
                        expect(FITS, FITS, FITS, FITS)),
                // zone1 1 (the ns1 pods are not counted), zone2 2
                arguments(Named.of("existing pods in a different namespace do not count", spreading(ZONE_1)),
                        fourNodes(), concat(pods("node-b", 1, "node-y", 2), List.of(
                                MakePod.pod("other-1").namespace("ns1").label("foo", "").node("node-a").obj(),
                                MakePod.pod("other-2").namespace("ns1").label("foo", "").node("node-a").obj())),
                        expect(FITS, FITS, SKEW, SKEW)),
                arguments(Named.of("pods spread across zones as 3/3, all nodes fit", spreading(ZONE_1)), fourNodes(),
                        pods("node-a", 2, "node-b", 1, "node-y", 3), expect(FITS, FITS, FITS, FITS)),
                arguments(Named.of("pods spread across zones as 1/2 due to absence of label 'zone' on node-b",
                        spreading(ZONE_1)), List.of(node("node-a", "zone1"), node("node-b", null),
                                node("node-x", "zone2"), node("node-y", "zone2")),
                        pods("node-a", 1, "node-b", 1, "node-x", 1, "node-y", 1), expect(FITS, NO_LABEL, SKEW, SKEW)),
                arguments(Named.of("pod cannot be scheduled as all nodes don't have label 'rack'",
                        spreading(constraint(1, "rack", "DoNotSchedule", "foo", ""))), fourNodes(), List.of(),
                        expect(NO_LABEL, NO_LABEL, NO_LABEL, NO_LABEL)),
                arguments(Named.of("pods spread across nodes as 2/1/0/3, only node-x fits",
                        spreading(constraint(1, HOSTNAME, "DoNotSchedule", "foo", ""))), fourNodes(),
                        pods("node-a", 2, "node-b", 1, "node-y", 3), expect(SKEW, SKEW, FITS, SKEW)),
                arguments(Named.of("pods spread across nodes as 2/1/0/3, maxSkew is 2, node-b and node-x fit",
                        spreading(constraint(2, HOSTNAME, "DoNotSchedule", "foo", ""))), fourNodes(),
                        pods("node-a", 2, "node-b", 1, "node-y", 3), expect(SKEW, FITS, FITS, SKEW)),
                arguments(Named.of("pods spread across nodes as 2/1/0/3, but pod doesn't match itself",
                        MakePod.pod("incoming").spec("topologySpreadConstraints",
                                "[" + constraint(1, HOSTNAME, "DoNotSchedule", "foo", "") + "]")),
                        fourNodes(), pods("node-a", 2, "node-b", 1, "node-y", 3), expect(SKEW, FITS, FITS, SKEW)),
                arguments(Named.of("terminating pods do not count", spreading(ZONE_1)), fourNodes(),
                        concat(pods("node-x", 1), List.of(
                                MakePod.pod("t1").label("foo", "").node("node-a").terminating().obj(),
                                MakePod.pod("t2").label("foo", "").node("node-a").terminating().obj())),
                        expect(FITS, FITS, SKEW, SKEW)),
                // 2 domains, minDomains 3: the global minimum counts as 0, so 1 + 1 - 0 > 1 everywhere
                arguments(Named.of("fewer domains than minDomains: the global minimum is 0",
                        spreading(constraint(1, "zone", "DoNotSchedule", "foo", ",\"minDomains\":3"))), fourNodes(),
                        pods("node-a", 1, "node-x", 1), expect(SKEW, SKEW, SKEW, SKEW)),
                arguments(Named.of("as many domains as minDomains: the real minimum",
                        spreading(constraint(1, "zone", "DoNotSchedule", "foo", ",\"minDomains\":2"))), fourNodes(),
                        pods("node-a", 1, "node-x", 1), expect(FITS, FITS, FITS, FITS)),
                // zone: 3/3 passes everywhere; hostname 2/1/0/3 leaves node-x
                arguments(Named.of("two constraints on zone and node, spreads = [3/3, 2/1/0/3]",
                        spreading(ZONE_1, constraint(1, HOSTNAME, "DoNotSchedule", "foo", ""))), fourNodes(),
                        pods("node-a", 2, "node-b", 1, "node-y", 3), expect(SKEW, SKEW, FITS, SKEW)),
                arguments(Named.of("ScheduleAnyway constraints do not filter",
                        spreading(constraint(1, HOSTNAME, "ScheduleAnyway", "foo", ""))), fourNodes(),
                        pods("node-a", 5), expect(FITS, FITS, FITS, FITS)));
    }

    private static List<ObjectNode> concat(List<ObjectNode> a, List<ObjectNode> b) {
        List<ObjectNode> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    @ParameterizedTest
    @MethodSource("filterCases")
    void filter(MakePod pod, List<ObjectNode> nodes, List<ObjectNode> placed, Map<String, String> expected) {
        ClusterSnapshot snapshot = Plugins.snapshot(nodes, placed);
        Map<String, String> actual = new LinkedHashMap<>();
        for (String node : expected.keySet()) {
            Status status = Plugins.filter(new PodTopologySpread(), pod.obj(), snapshot, node);
            actual.put(node, status.isSuccess() ? FITS : status.message());
            if (status.message().equals(NO_LABEL)) {
                assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
            } else if (!status.isSuccess()) {
                assertThat(status.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
            }
        }
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void matchLabelKeysNarrowTheSelectorToThePodsOwnValues() {
        MakePod pod = MakePod.pod("incoming").label("foo", "").label("rev", "v2").spec("topologySpreadConstraints",
                "[" + constraint(1, "zone", "DoNotSchedule", "foo", ",\"matchLabelKeys\":[\"rev\"]") + "]");
        List<ObjectNode> placed = List.of(
                MakePod.pod("old-1").label("foo", "").label("rev", "v1").node("node-a").obj(),
                MakePod.pod("old-2").label("foo", "").label("rev", "v1").node("node-a").obj(),
                MakePod.pod("new-1").label("foo", "").label("rev", "v2").node("node-x").obj());

        assertThat(filterAll(pod, fourNodes(), placed)).isEqualTo(expect(FITS, FITS, SKEW, SKEW));
    }

    /**
     * node-b (zone1) holds 2 matching pods but lacks the label the pod's node selector wants, node-x (zone2) 1.
     * Honor (the default) leaves node-b out of the counts: zone1 0, zone2 1. Ignore counts it: zone1 2, zone2 1.
     */
    @Test
    void nodeAffinityPolicyDecidesWhetherNodesThePodCannotUseCount() {
        List<ObjectNode> nodes = List.of(MakeNode.node("node-a").label("zone", "zone1").label("ssd", "").obj(),
                MakeNode.node("node-b").label("zone", "zone1").obj(),
                MakeNode.node("node-x").label("zone", "zone2").label("ssd", "").obj(),
                MakeNode.node("node-y").label("zone", "zone2").obj());
        List<ObjectNode> placed = pods("node-b", 2, "node-x", 1);

        assertThat(filterAll(spreading(ZONE_1).nodeSelector("ssd", ""), nodes, placed))
                .containsEntry("node-a", FITS).containsEntry("node-x", SKEW);
        assertThat(filterAll(spreading(constraint(1, "zone", "DoNotSchedule", "foo", ",\"nodeAffinityPolicy\":\"Ignore\""))
                .nodeSelector("ssd", ""), nodes, placed)).containsEntry("node-a", SKEW).containsEntry("node-x", FITS);
    }

    /** node-b (zone1) is tainted and holds 3 matching pods; Honor leaves it out, Ignore (the default) counts it. */
    @Test
    void nodeTaintsPolicyDecidesWhetherTaintedNodesCount() {
        List<ObjectNode> nodes = List.of(node("node-a", "zone1"),
                MakeNode.node("node-b").label("zone", "zone1").taint("dedicated", "x", "NoSchedule").obj(),
                node("node-x", "zone2"), node("node-y", "zone2"));
        List<ObjectNode> placed = pods("node-b", 3, "node-x", 1);

        assertThat(filterAll(spreading(ZONE_1), nodes, placed))
                .containsEntry("node-a", SKEW).containsEntry("node-x", FITS);
        assertThat(filterAll(spreading(constraint(1, "zone", "DoNotSchedule", "foo", ",\"nodeTaintsPolicy\":\"Honor\"")),
                nodes, placed)).containsEntry("node-a", FITS).containsEntry("node-x", SKEW);
    }

    private static Map<String, String> filterAll(MakePod pod, List<ObjectNode> nodes, List<ObjectNode> placed) {
        ClusterSnapshot snapshot = Plugins.snapshot(nodes, placed);
        Map<String, String> result = new LinkedHashMap<>();
        for (ObjectNode node : nodes) {
            String name = node.at("/metadata/name").asText();
            Status status = Plugins.filter(new PodTopologySpread(), pod.obj(), snapshot, name);
            result.put(name, status.isSuccess() ? FITS : status.message());
        }
        return result;
    }

    static Stream<Arguments> scoreCases() {
        List<ObjectNode> twoHosts = List.of(node("node-a", null), node("node-b", null));
        List<ObjectNode> fourHosts = List.of(node("node-a", null), node("node-b", null), node("node-c", null),
                node("node-d", null));
        String host1 = constraint(1, HOSTNAME, "ScheduleAnyway", "foo", "");
        return Stream.of(
                arguments(Named.of("one constraint on node, no existing pods", spreading(host1)), twoHosts, List.of(),
                        Map.of("node-a", 100L, "node-b", 100L)),
                // weight ln(4 + 2) = 1.79 per pod: 3.58 -> 4, 1.79 -> 2, 0, 5.38 -> 5; 100 * (5 + 0 - s) / 5
                arguments(Named.of("one constraint on node, all 4 nodes are candidates", spreading(host1)), fourHosts,
                        pods("node-a", 2, "node-b", 1, "node-d", 3),
                        Map.of("node-a", 20L, "node-b", 60L, "node-c", 100L, "node-d", 0L)),
                // zone weight ln(2 + 2) = 1.39: zone1 3 -> 4, zone2 1 -> 1; 100 * (4 + 1 - s) / 4
                arguments(Named.of("one constraint on zone, pods spread 3/1",
                        spreading(constraint(1, "zone", "ScheduleAnyway", "foo", ""))), fourNodes(),
                        pods("node-a", 1, "node-b", 2, "node-y", 1),
                        Map.of("node-a", 25L, "node-b", 25L, "node-x", 100L, "node-y", 100L)),
                // zone 1.39 per pod (3/1), hostname 1.79 per pod (2/1/0/1):
                // a 4.16 + 3.58 -> 8, b 4.16 + 1.79 -> 6, x 1.39 -> 1, y 1.39 + 1.79 -> 3; 100 * (8 + 1 - s) / 8
                arguments(Named.of("two constraints on zone and node",
                        spreading(constraint(1, "zone", "ScheduleAnyway", "foo", ""), host1)), fourNodes(),
                        pods("node-a", 2, "node-b", 1, "node-y", 1),
                        Map.of("node-a", 12L, "node-b", 37L, "node-x", 100L, "node-y", 75L)),
                // maxSkew 3 adds 2 everywhere: a 1.39 + 2 -> 3, b 2; 100 * (3 + 2 - s) / 3
                arguments(Named.of("maxSkew offsets every node's score",
                        spreading(constraint(3, HOSTNAME, "ScheduleAnyway", "foo", ""))), twoHosts, pods("node-a", 1),
                        Map.of("node-a", 66L, "node-b", 100L)),
                arguments(Named.of("a node without the topology key of a declared constraint scores 0",
                        spreading(constraint(1, "zone", "ScheduleAnyway", "foo", ""))),
                        List.of(node("node-a", "zone1"), node("node-b", null)), List.of(),
                        Map.of("node-a", 100L, "node-b", 0L)));
    }

    @ParameterizedTest
    @MethodSource("scoreCases")
    void score(MakePod pod, List<ObjectNode> nodes, List<ObjectNode> placed, Map<String, Long> expected) {
        assertThat(Plugins.scores(new PodTopologySpread(), pod.obj(), Plugins.snapshot(nodes, placed)))
                .isEqualTo(expected);
    }

    private static MakePod webPod(String name) {
        return MakePod.pod(name).label("app", "web").controller("apps/v1", "ReplicaSet", "web-5d8f");
    }

    private static ClusterSnapshot webCluster(Workloads workloads) {
        return ClusterSnapshot.builder().nodes(List.of(node("node-a", null), node("node-b", null)))
                .pods(List.of(webPod("web-1").node("node-a").obj(), webPod("web-2").node("node-a").obj(),
                        MakePod.pod("unrelated").node("node-b").obj()))
                .workloads(workloads).build();
    }

    /**
     * The system default constraints (hostname skew 3, zone skew 5, ScheduleAnyway) over the peers the owning
     * ReplicaSet selects; nodes without a zone label still spread by hostname. Hostname weight ln(2 + 2) = 1.39:
     * node-a 2 x 1.39 + 2 -> 5, node-b 0 + 2 = 2; 100 * (5 + 2 - s) / 5.
     */
    @Test
    void podsWithoutConstraintsSpreadByDefaultOverTheirReplicaSetsPods() {
        Workloads workloads = Workloads.of(List.of(), List.of(),
                List.of(Json.parse("{\"metadata\":{\"name\":\"web-5d8f\",\"namespace\":\"default\"},"
                        + "\"spec\":{\"selector\":{\"matchLabels\":{\"app\":\"web\"}}}}")), List.of());

        assertThat(Plugins.scores(new PodTopologySpread(), webPod("web-3").obj(), webCluster(workloads)))
                .isEqualTo(Map.of("node-a", 40L, "node-b", 100L));
        assertThat(Plugins.preFilter(new PodTopologySpread(), webPod("web-3").obj(), webCluster(workloads)))
                .isEqualTo(PreFilterResult.SKIP);
    }

    @Test
    void aServiceSelectingThePodDefinesItsPeersToo() {
        Workloads workloads = Workloads.of(List.of(Json.parse(
                        "{\"metadata\":{\"name\":\"web\",\"namespace\":\"default\"},\"spec\":{\"selector\":{\"app\":\"web\"}}}")),
                List.of(), List.of(), List.of());

        assertThat(Plugins.scores(new PodTopologySpread(), MakePod.pod("web-3").label("app", "web").obj(),
                webCluster(workloads))).isEqualTo(Map.of("node-a", 40L, "node-b", 100L));
    }

    @Test
    void withoutServicesOrControllersThereIsNothingToSpreadBy() {
        assertThat(Plugins.scores(new PodTopologySpread(), webPod("web-3").obj(), webCluster(Workloads.NONE)))
                .isEqualTo(Map.of("node-a", 0L, "node-b", 0L));
    }
}
