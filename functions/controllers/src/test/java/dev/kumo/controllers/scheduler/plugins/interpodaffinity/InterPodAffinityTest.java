package dev.kumo.controllers.scheduler.plugins.interpodaffinity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.Status;
import dev.kumo.controllers.scheduler.testing.Json;
import dev.kumo.controllers.scheduler.testing.MakeNode;
import dev.kumo.controllers.scheduler.testing.MakePod;
import dev.kumo.controllers.scheduler.testing.Plugins;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** After kube-scheduler's TestRequiredAffinitySingleNode, TestRequiredAffinityMultipleNodes and TestPreferredAffinity. */
class InterPodAffinityTest {
    private static final Status AFFINITY = Status.unresolvable("node(s) didn't match pod affinity rules");
    private static final Status ANTI_AFFINITY = Status.unschedulable("node(s) didn't match pod anti-affinity rules");
    private static final Status EXISTING_ANTI_AFFINITY =
            Status.unschedulable("node(s) didn't satisfy existing pods anti-affinity rules");

    /** A pod affinity or anti-affinity stanza: kind is podAffinity or podAntiAffinity, terms a JSON list. */
    private static String required(String kind, String terms) {
        return "{\"" + kind + "\":{\"requiredDuringSchedulingIgnoredDuringExecution\":" + terms + "}}";
    }

    private static String term(String expressions, String topologyKey) {
        return "{\"labelSelector\":{\"matchExpressions\":" + expressions + "},\"topologyKey\":\"" + topologyKey + "\"}";
    }

    private static String in(String key, String... values) {
        return "{\"key\":\"" + key + "\",\"operator\":\"In\",\"values\":" + Json.MAPPER.valueToTree(values) + "}";
    }

    private static MakePod incoming() {
        return MakePod.pod("incoming").label("security", "S1");
    }

    private static MakePod securityScan() {
        return MakePod.pod("existing").label("service", "securityscan").node("node1");
    }

    private static ObjectNode node1() {
        return MakeNode.node("node1").label("region", "r1").label("zone", "z11").obj();
    }

    private static Arguments single(String name, MakePod pod, MakePod existing, Status expected) {
        return arguments(Named.of(name, pod), existing, expected);
    }

    static Stream<Arguments> singleNodeCases() {
        return Stream.of(
                single("A pod that has no required pod affinity scheduling rules can schedule onto a node with no "
                        + "existing pods", MakePod.pod("incoming"), null, Status.SUCCESS),
                single("satisfies with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using In operator "
                                + "that matches the existing pod", incoming().spec("affinity", required("podAffinity",
                                "[" + term("[" + in("service", "securityscan", "value2") + "]", "region") + "]")),
                        securityScan(), Status.SUCCESS),
                single("satisfies the pod with requiredDuringSchedulingIgnoredDuringExecution in PodAffinity using not "
                                + "in operator in labelSelector that matches the existing pod",
                        incoming().spec("affinity", required("podAffinity", "[" + term(
                                "[{\"key\":\"service\",\"operator\":\"NotIn\",\"values\":[\"securityscan3\",\"value3\"]}]",
                                "region") + "]")), securityScan(), Status.SUCCESS),
                single("Does not satisfy the PodAffinity with labelSelector because of diff Namespace",
                        incoming().spec("affinity", required("podAffinity", "[{\"labelSelector\":{\"matchExpressions\":["
                                + in("service", "securityscan", "value2") + "]},\"namespaces\":[\"DiffNameSpace\"],"
                                + "\"topologyKey\":\"region\"}]")), securityScan(), AFFINITY),
                single("Doesn't satisfy the PodAffinity because of unmatching labelSelector with the existing pod",
                        incoming().spec("affinity", required("podAffinity",
                                "[" + term("[" + in("service", "antivirusscan", "value2") + "]", "region") + "]")),
                        securityScan(), AFFINITY),
                single("satisfies the PodAffinity with different label Operators in multiple "
                                + "RequiredDuringSchedulingIgnoredDuringExecution", incoming().spec("affinity",
                                required("podAffinity", "[" + term("[{\"key\":\"service\",\"operator\":\"Exists\"},"
                                        + "{\"key\":\"wrongkey\",\"operator\":\"DoesNotExist\"}]", "region") + ","
                                        + term("[" + in("service", "securityscan") + ",{\"key\":\"service\","
                                        + "\"operator\":\"NotIn\",\"values\":[\"WrongValue\"]}]", "region") + "]")),
                        securityScan(), Status.SUCCESS),
                single("The labelSelector requirements(items of matchExpressions) are ANDed, the pod cannot schedule "
                                + "onto the node because one of the matchExpression item don't match",
                        incoming().spec("affinity", required("podAffinity", "[" + term("[{\"key\":\"service\","
                                + "\"operator\":\"Exists\"},{\"key\":\"wrongkey\",\"operator\":\"DoesNotExist\"}]",
                                "region") + "," + term("[" + in("service", "securityscan2") + "]", "region") + "]")),
                        securityScan(), AFFINITY),
                single("satisfies the PodAffinity and PodAntiAffinity with the existing pod",
                        incoming().spec("affinity", """
                                {"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                                  {"labelSelector":{"matchExpressions":[{"key":"service","operator":"In","values":["securityscan","value2"]}]},"topologyKey":"region"}]},
                                 "podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                                  {"labelSelector":{"matchExpressions":[{"key":"service","operator":"In","values":["antivirusscan","value2"]}]},"topologyKey":"node"}]}}"""),
                        securityScan(), Status.SUCCESS),
                single("satisfies the PodAffinity but doesn't satisfy the PodAntiAffinity with the existing pod",
                        incoming().spec("affinity", """
                                {"podAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                                  {"labelSelector":{"matchExpressions":[{"key":"service","operator":"In","values":["securityscan"]}]},"topologyKey":"region"}]},
                                 "podAntiAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":[
                                  {"labelSelector":{"matchExpressions":[{"key":"service","operator":"In","values":["securityscan"]}]},"topologyKey":"zone"}]}}"""),
                        securityScan(), ANTI_AFFINITY),
                single("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity "
                                + "constraints. doesn't satisfy PodAntiAffinity symmetry with the existing pod",
                        MakePod.pod("incoming").label("service", "securityscan"),
                        securityScan().spec("affinity", required("podAntiAffinity",
                                "[" + term("[" + in("service", "securityscan") + "]", "zone") + "]")),
                        EXISTING_ANTI_AFFINITY),
                single("verify that PodAntiAffinity from existing pod is respected when pod has no AntiAffinity "
                                + "constraints. satisfy PodAntiAffinity symmetry with the existing pod",
                        MakePod.pod("incoming").label("service", "securityscan"),
                        securityScan().spec("affinity", required("podAntiAffinity",
                                "[" + term("[{\"key\":\"service\",\"operator\":\"NotIn\",\"values\":[\"securityscan\"]}]",
                                        "zone") + "]")), Status.SUCCESS),
                single("an existing pod's anti-affinity only repels within its topology: a key the node lacks repels "
                                + "nothing", MakePod.pod("incoming").label("service", "securityscan"),
                        securityScan().spec("affinity", required("podAntiAffinity",
                                "[" + term("[" + in("service", "securityscan") + "]", "rack") + "]")), Status.SUCCESS),
                single("PodAffinity fails when the node lacks the term's topology label",
                        incoming().spec("affinity", required("podAffinity",
                                "[" + term("[" + in("service", "securityscan") + "]", "rack") + "]")),
                        securityScan(), AFFINITY),
                single("the first pod of a group with affinity to itself fits wherever the topology label is",
                        MakePod.pod("incoming").label("service", "securityscan").spec("affinity",
                                required("podAffinity", "[" + term("[" + in("service", "securityscan") + "]", "zone")
                                        + "]")), null, Status.SUCCESS),
                single("a pod whose affinity matches no pod and not itself does not fit",
                        MakePod.pod("incoming").label("service", "other").spec("affinity",
                                required("podAffinity", "[" + term("[" + in("service", "securityscan") + "]", "zone")
                                        + "]")), null, AFFINITY),
                single("a terminating pod still counts for affinity", incoming().spec("affinity",
                                required("podAffinity", "[" + term("[" + in("service", "securityscan") + "]", "zone")
                                        + "]")), securityScan().terminating(), Status.SUCCESS),
                single("a pod whose affinity selector cannot be parsed is refused before any node",
                        incoming().spec("affinity", required("podAffinity", "[" + term(
                                "[{\"key\":\"service\",\"operator\":\"Near\",\"values\":[\"x\"]}]", "zone") + "]")),
                        securityScan(),
                        Status.unresolvable("parsing pod: \"Near\" is not a valid label selector operator")));
    }

    @ParameterizedTest
    @MethodSource("singleNodeCases")
    void singleNode(MakePod pod, MakePod existing, Status expected) {
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(node1()),
                existing == null ? List.of() : List.of(existing.obj()));

        Status status = Plugins.filter(new InterPodAffinity(), pod.obj(), snapshot, "node1");

        assertThat(status).isEqualTo(expected);
    }

    @Test
    void selfAffinityDoesNotApplyOnceAMatchingPodRunsInAnotherDomain() {
        ObjectNode pod = MakePod.pod("incoming").label("service", "securityscan").spec("affinity",
                required("podAffinity", "[" + term("[" + in("service", "securityscan") + "]", "zone") + "]")).obj();
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(node1(),
                        MakeNode.node("node2").label("zone", "z12").obj()),
                List.of(MakePod.pod("existing").label("service", "securityscan").node("node2").obj()));

        assertThat(Plugins.filter(new InterPodAffinity(), pod, snapshot, "node1")).isEqualTo(AFFINITY);
        assertThat(Plugins.filter(new InterPodAffinity(), pod, snapshot, "node2")).isEqualTo(Status.SUCCESS);
    }

    @Test
    void antiAffinityByHostnameKeepsReplicasApart() {
        String affinity = required("podAntiAffinity",
                "[" + term("[" + in("app", "web") + "]", "kubernetes.io/hostname") + "]");
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(
                        MakeNode.node("a").label("kubernetes.io/hostname", "a").obj(),
                        MakeNode.node("b").label("kubernetes.io/hostname", "b").obj()),
                List.of(MakePod.pod("web-1").label("app", "web").node("a").spec("affinity", affinity).obj()));
        ObjectNode web2 = MakePod.pod("web-2").label("app", "web").spec("affinity", affinity).obj();

        assertThat(Plugins.filter(new InterPodAffinity(), web2, snapshot, "a")).isEqualTo(ANTI_AFFINITY);
        assertThat(Plugins.filter(new InterPodAffinity(), web2, snapshot, "b")).isEqualTo(Status.SUCCESS);
    }

    /** Namespace selectors: of the incoming pod's terms resolved against the namespaces, of placed pods' terms
     * matched against the incoming pod's namespace labels. */
    static Stream<Arguments> namespaceCases() {
        String bySelector = "[{\"labelSelector\":{\"matchExpressions\":[" + in("service", "securityscan")
                + "]},\"namespaceSelector\":{\"matchLabels\":{\"team\":\"team1\"}},\"topologyKey\":\"region\"}]";
        String everyNamespace = "[{\"labelSelector\":{\"matchExpressions\":[" + in("service", "securityscan")
                + "]},\"namespaceSelector\":{},\"topologyKey\":\"region\"}]";
        return Stream.of(
                arguments(Named.of("affinity with namespace selector",
                        incoming().spec("affinity", required("podAffinity", bySelector))), existingIn("subteam"),
                        Status.SUCCESS),
                arguments(Named.of("affinity with namespace selector that selects another namespace",
                        incoming().spec("affinity", required("podAffinity", bySelector))), existingIn("other"),
                        AFFINITY),
                arguments(Named.of("anti-affinity with namespace selector",
                        incoming().spec("affinity", required("podAntiAffinity", bySelector))), existingIn("subteam"),
                        ANTI_AFFINITY),
                arguments(Named.of("affinity with empty namespace selector selects every namespace",
                        incoming().spec("affinity", required("podAffinity", everyNamespace))), existingIn("other"),
                        Status.SUCCESS),
                arguments(Named.of("an existing pod's anti-affinity namespace selector matches the incoming pod's "
                                + "namespace labels",
                                MakePod.pod("incoming").namespace("subteam").label("service", "securityscan")),
                        existingIn("other").spec("affinity", required("podAntiAffinity", bySelector)),
                        EXISTING_ANTI_AFFINITY),
                arguments(Named.of("an existing pod's anti-affinity namespace selector ignores other namespaces",
                                MakePod.pod("incoming").namespace("default").label("service", "securityscan")),
                        existingIn("other").spec("affinity", required("podAntiAffinity", bySelector)),
                        Status.SUCCESS));
    }

    private static MakePod existingIn(String namespace) {
        return MakePod.pod("existing").namespace(namespace).label("service", "securityscan").node("node1");
    }

    @ParameterizedTest
    @MethodSource("namespaceCases")
    void namespaceSelectors(MakePod pod, MakePod existing, Status expected) {
        ClusterSnapshot snapshot = ClusterSnapshot.builder().nodes(List.of(node1())).pods(List.of(existing.obj()))
                .namespaces(List.of(
                        Json.parse("{\"metadata\":{\"name\":\"subteam\",\"labels\":{\"team\":\"team1\"}}}"),
                        Json.parse("{\"metadata\":{\"name\":\"other\",\"labels\":{\"team\":\"team2\"}}}"),
                        Json.parse("{\"metadata\":{\"name\":\"default\"}}")))
                .build();

        assertThat(Plugins.filter(new InterPodAffinity(), pod.obj(), snapshot, "node1")).isEqualTo(expected);
    }

    private static String preferred(String kind, int weight, String expressions, String topologyKey) {
        return "\"" + kind + "\":{\"preferredDuringSchedulingIgnoredDuringExecution\":[{\"weight\":" + weight
                + ",\"podAffinityTerm\":" + term(expressions, topologyKey) + "}]}";
    }

    private static MakePod s1(String node) {
        return MakePod.pod("s1-" + node).label("security", "S1").node(node);
    }

    private static MakePod s2(String node, int i) {
        return MakePod.pod("s2-" + node + "-" + i).label("security", "S2").node(node);
    }

    static Stream<Arguments> scoreCases() {
        String stayWithS1InRegion = "{" + preferred("podAffinity", 5, "[" + in("security", "S1") + "]", "region") + "}";
        String stayWithS2InRegion = "{" + preferred("podAffinity", 6, "[" + in("security", "S2") + "]", "region") + "}";
        String awayFromS1InAz = "{" + preferred("podAntiAffinity", 5, "[" + in("security", "S1") + "]", "az") + "}";
        String both = "{" + preferred("podAffinity", 8, "[" + in("security", "S1") + "]", "region") + ","
                + preferred("podAntiAffinity", 5, "[" + in("security", "S2") + "]", "az") + "}";
        List<ObjectNode> chinaIndiaAz1 = List.of(MakeNode.node("node1").label("region", "China").obj(),
                MakeNode.node("node2").label("region", "India").obj(), MakeNode.node("node3").label("az", "az1").obj());
        return Stream.of(
                arguments(Named.of("all nodes have same priority as the pod has no inter-pod affinity",
                        MakePod.pod("p")), chinaIndiaAz1, List.of(s1("node1")),
                        Map.of("node1", 0L, "node2", 0L, "node3", 0L)),
                arguments(Named.of("Affinity: pod that matches topology key & pods in nodes will get high score "
                                + "comparing to others which doesn't match either pods in nodes or in topology key",
                        MakePod.pod("p").spec("affinity", stayWithS1InRegion)), chinaIndiaAz1, List.of(s1("node1")),
                        Map.of("node1", 100L, "node2", 0L, "node3", 0L)),
                arguments(Named.of("All the nodes that have the same topology key & label value with one of them has "
                                + "an existing pod that matches the affinity rules, have the same score",
                        MakePod.pod("p").spec("affinity", stayWithS1InRegion)),
                        List.of(MakeNode.node("node1").label("region", "China").obj(),
                                MakeNode.node("node2").label("region", "China").label("az", "az1").obj(),
                                MakeNode.node("node3").label("region", "India").obj()),
                        List.of(s1("node1")), Map.of("node1", 100L, "node2", 100L, "node3", 0L)),
                // China 2 x 6 = 12, India 6, Japan 0
                arguments(Named.of("Affinity: nodes in one region has more matching pods comparing to other region, "
                                + "so the region which has more matches will get high score",
                        MakePod.pod("p").spec("affinity", stayWithS2InRegion)),
                        List.of(MakeNode.node("node1").label("region", "China").obj(),
                                MakeNode.node("node3").label("region", "India").obj(),
                                MakeNode.node("node5").label("region", "Japan").obj()),
                        List.of(s2("node1", 1), s2("node1", 2), s2("node3", 1)),
                        Map.of("node1", 100L, "node3", 50L, "node5", 0L)),
                arguments(Named.of("Anti Affinity: pod that does not match existing pods in node will get high score",
                        MakePod.pod("p").spec("affinity", awayFromS1InAz)),
                        List.of(MakeNode.node("node1").label("az", "az1").obj(),
                                MakeNode.node("node2").label("az", "az2").obj()),
                        List.of(s1("node1"), s2("node2", 1)), Map.of("node1", 0L, "node2", 100L)),
                // node1: China +8 = 8; node2: China +8, az2 -5 = 3 -> 37; node3: 0
                arguments(Named.of("Affinity and Anti Affinity: considering both affinity and anti-affinity",
                        MakePod.pod("p").spec("affinity", both)),
                        List.of(MakeNode.node("node1").label("region", "China").label("az", "az1").obj(),
                                MakeNode.node("node2").label("region", "China").label("az", "az2").obj(),
                                MakeNode.node("node3").label("region", "India").label("az", "az3").obj()),
                        List.of(s1("node1"), s2("node2", 1)), Map.of("node1", 100L, "node2", 37L, "node3", 0L)),
                arguments(Named.of("Affinity symmetry: considered only RequiredDuringSchedulingIgnoredDuringExecution "
                                + "in pod affinity symmetry", MakePod.pod("p").label("security", "S1")),
                        List.of(MakeNode.node("node1").label("region", "China").obj(),
                                MakeNode.node("node2").label("region", "China").obj(),
                                MakeNode.node("node3").label("region", "India").obj()),
                        List.of(MakePod.pod("hard").node("node1").spec("affinity", required("podAffinity",
                                "[" + term("[" + in("security", "S1") + "]", "region") + "]"))),
                        Map.of("node1", 100L, "node2", 100L, "node3", 0L)),
                arguments(Named.of("Anti Affinity symmetry: the existing pods' preferred anti-affinity repels the "
                                + "incoming pod", MakePod.pod("p").label("security", "S1")),
                        List.of(MakeNode.node("node1").label("az", "az1").obj(),
                                MakeNode.node("node2").label("az", "az2").obj()),
                        List.of(MakePod.pod("shy").node("node1").spec("affinity", awayFromS1InAz)),
                        Map.of("node1", 0L, "node2", 100L)));
    }

    @ParameterizedTest
    @MethodSource("scoreCases")
    void score(MakePod pod, List<ObjectNode> nodes, List<MakePod> placed, Map<String, Long> expected) {
        List<ObjectNode> pods = placed.stream().map(MakePod::obj).toList();

        assertThat(Plugins.scores(new InterPodAffinity(), pod.obj(), Plugins.snapshot(nodes, pods)))
                .isEqualTo(expected);
    }

    @Test
    void aHardPodAffinityWeightOfZeroIgnoresPlacedPodsRequiredTerms() {
        ObjectNode hard = MakePod.pod("hard").node("node1").spec("affinity", required("podAffinity",
                "[" + term("[" + in("security", "S1") + "]", "region") + "]")).obj();
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(MakeNode.node("node1").label("region", "China").obj(),
                MakeNode.node("node2").label("region", "India").obj()), List.of(hard));

        assertThat(Plugins.scores(new InterPodAffinity(0, false), MakePod.pod("p").label("security", "S1").obj(),
                snapshot)).isEqualTo(Map.of("node1", 0L, "node2", 0L));
    }
}
