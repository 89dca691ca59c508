package dev.kumo.controllers.scheduler.plugins.nodeaffinity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.controllers.scheduler.framework.ClusterSnapshot;
import dev.kumo.controllers.scheduler.framework.PreFilterResult;
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
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** After kube-scheduler's TestNodeAffinity (filter and PreFilter) and TestNodeAffinityPriority. */
class NodeAffinityTest {
    /** A pod whose required node affinity has these {@code nodeSelectorTerms}. */
    private static MakePod required(String... terms) {
        return MakePod.pod("p").spec("affinity", """
                {"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[%s]}}}"""
                .formatted(String.join(",", terms)));
    }

    /** A {@code NodeSelectorTerm} of the given parts ({@link #expressions}, {@link #fields}). */
    private static String term(String... parts) {
        return "{" + String.join(",", parts) + "}";
    }

    private static String expressions(String... requirements) {
        return "\"matchExpressions\":[" + String.join(",", requirements) + "]";
    }

    private static String fields(String... requirements) {
        return "\"matchFields\":[" + String.join(",", requirements) + "]";
    }

    /** A requirement on a label; without values, none are written (Exists, DoesNotExist). */
    private static String label(String key, String operator, String... values) {
        String requirement = "{\"key\":\"" + key + "\",\"operator\":\"" + operator + "\"";
        return requirement + (values.length == 0 ? "}" : ",\"values\":" + Json.MAPPER.valueToTree(values) + "}");
    }

    /** A requirement on the node's name ({@code metadata.name}). */
    private static String name(String operator, String... values) {
        return label("metadata.name", operator, values);
    }

    private static Arguments fits(String name, MakePod pod, MakeNode node) {
        return arguments(Named.of(name, pod), node, true);
    }

    private static Arguments doesNotFit(String name, MakePod pod, MakeNode node) {
        return arguments(Named.of(name, pod), node, false);
    }

    static Stream<Arguments> filterCases() {
        return Stream.of(
                doesNotFit("missing labels", MakePod.pod("p").nodeSelector("foo", "bar"), MakeNode.node("node1")),
                fits("same labels", MakePod.pod("p").nodeSelector("foo", "bar"),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("node labels are superset", MakePod.pod("p").nodeSelector("foo", "bar"),
                        MakeNode.node("node1").label("foo", "bar").label("baz", "blah")),
                doesNotFit("node labels are subset", MakePod.pod("p").nodeSelector("foo", "bar")
                        .nodeSelector("baz", "blah"), MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with matchExpressions using In operator that matches the existing node",
                        required(term(expressions(label("foo", "In", "bar", "value2")))),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with matchExpressions using Gt operator that matches the existing node",
                        required(term(expressions(label("kernel-version", "Gt", "0204")))),
                        MakeNode.node("node1").label("kernel-version", "0206")),
                doesNotFit("Pod with matchExpressions using Gt operator on an equal value",
                        required(term(expressions(label("kernel-version", "Gt", "204")))),
                        MakeNode.node("node1").label("kernel-version", "0204")),
                fits("Pod with matchExpressions using Lt operator that matches the existing node",
                        required(term(expressions(label("cores", "Lt", "3")))),
                        MakeNode.node("node1").label("cores", "2")),
                doesNotFit("A Gt or Lt value must be a valid label value: a negative number is not",
                        required(term(expressions(label("cores", "Lt", "-1")))),
                        MakeNode.node("node1").label("cores", "-2")),
                doesNotFit("Pod with matchExpressions using Lt operator against a label that is no number",
                        required(term(expressions(label("cores", "Lt", "8")))),
                        MakeNode.node("node1").label("cores", "four")),
                fits("Pod with matchExpressions using NotIn operator that matches the existing node",
                        required(term(expressions(label("mem-type", "NotIn", "DDR", "DDR2")))),
                        MakeNode.node("node1").label("mem-type", "DDR3")),
                fits("Pod with matchExpressions using Exists operator that matches the existing node",
                        required(term(expressions(label("GPU", "Exists")))),
                        MakeNode.node("node1").label("GPU", "NVIDIA-GRID-K1")),
                doesNotFit("Pod with matchExpressions using DoesNotExist operator on a node that has the label",
                        required(term(expressions(label("GPU", "DoesNotExist")))),
                        MakeNode.node("node1").label("GPU", "NVIDIA-GRID-K1")),
                doesNotFit("Pod with affinity that don't match node's labels won't schedule onto the node",
                        required(term(expressions(label("foo", "In", "value1", "value2")))),
                        MakeNode.node("node1").label("foo", "bar")),
                doesNotFit("Pod with empty MatchExpressions is not a valid value will match no objects and won't "
                        + "schedule onto the node", required(term(expressions())),
                        MakeNode.node("node1").label("foo", "bar")),
                doesNotFit("Pod with a required node affinity without terms matches no node", required(),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with no Affinity will schedule onto a node", MakePod.pod("p"),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with Affinity but nil NodeSelector will schedule onto a node",
                        MakePod.pod("p").spec("affinity", "{\"nodeAffinity\":{}}"),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with multiple matchExpressions ANDed that matches the existing node",
                        required(term(expressions(label("GPU", "Exists"), label("GPU", "NotIn", "AMD", "INTER")))),
                        MakeNode.node("node1").label("GPU", "NVIDIA-GRID-K1")),
                doesNotFit("Pod with multiple matchExpressions ANDed that doesn't match the existing node",
                        required(term(expressions(label("GPU", "Exists"), label("GPU", "In", "AMD", "INTER")))),
                        MakeNode.node("node1").label("GPU", "NVIDIA-GRID-K1")),
                fits("Pod with multiple NodeSelectorTerms ORed in affinity, matches the node's labels and will "
                                + "schedule onto the node",
                        required(term(expressions(label("foo", "In", "bar", "value2"))),
                                term(expressions(label("diffkey", "In", "wrong", "value2")))),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with an Affinity and a PodSpec.NodeSelector(the old thing that we are deprecating) both "
                                + "are satisfied, will schedule onto the node",
                        required(term(expressions(label("foo", "Exists")))).nodeSelector("foo", "bar"),
                        MakeNode.node("node1").label("foo", "bar")),
                doesNotFit("Pod with an Affinity matches node's labels but the PodSpec.NodeSelector(the old thing "
                                + "that we are deprecating) is not satisfied, won't schedule onto the node",
                        required(term(expressions(label("foo", "Exists")))).nodeSelector("foo", "bar"),
                        MakeNode.node("node1").label("foo", "barrrrrr")),
                doesNotFit("Pod with an invalid value in Affinity term won't be scheduled onto the node",
                        required(term(expressions(label("foo", "NotIn", "invalid value: ___@#$%^")))),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("An invalid term does not spoil the valid ones",
                        required(term(expressions(label("foo", "Gt", "x"))), term(expressions(label("foo", "Exists")))),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with matchFields using In operator that matches the existing node",
                        required(term(fields(name("In", "node1")))), MakeNode.node("node1")),
                doesNotFit("Pod with matchFields using NotIn operator on the node's name",
                        required(term(fields(name("NotIn", "node1")))), MakeNode.node("node1")),
                fits("Pod with two terms: matchFields does not match, but matchExpressions matches",
                        required(term(fields(name("In", "node2"))), term(expressions(label("foo", "In", "bar")))),
                        MakeNode.node("node1").label("foo", "bar")),
                doesNotFit("Pod with one term: matchFields does not match, but matchExpressions matches",
                        required(term(fields(name("In", "node2")), expressions(label("foo", "In", "bar")))),
                        MakeNode.node("node1").label("foo", "bar")),
                fits("Pod with one term: both matchFields and matchExpressions match",
                        required(term(fields(name("In", "node1")), expressions(label("foo", "In", "bar")))),
                        MakeNode.node("node1").label("foo", "bar")),
                doesNotFit("Pod with two terms: both matchFields and matchExpressions do not match",
                        required(term(fields(name("In", "node2"))),
                                term(expressions(label("foo", "In", "not-match-to-bar")))),
                        MakeNode.node("node1").label("foo", "bar")));
    }

    @ParameterizedTest
    @MethodSource("filterCases")
    void filter(MakePod pod, MakeNode node, boolean fits) {
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(node.obj()), List.of());

        Status status = Plugins.filter(new NodeAffinity(), pod.obj(), snapshot, "node1");

        assertThat(status).isEqualTo(fits ? Status.SUCCESS
                : Status.unresolvable("node(s) didn't match Pod's node affinity/selector"));
    }

    static Stream<Arguments> preFilterCases() {
        return Stream.of(
                arguments(Named.of("no node affinity: skipped", MakePod.pod("p")), PreFilterResult.SKIP),
                arguments(Named.of("a node selector alone narrows nothing", MakePod.pod("p").nodeSelector("a", "b")),
                        PreFilterResult.ALL_NODES),
                arguments(Named.of("Pod with matchFields using In operator that matches the existing node",
                        required(term(fields(name("In", "node1"))))), PreFilterResult.only(Set.of("node1"))),
                arguments(Named.of("Pod with two terms: matchFields does not match, but matchExpressions matches",
                        required(term(fields(name("In", "node2"))), term(expressions(label("foo", "In", "bar"))))),
                        PreFilterResult.ALL_NODES),
                arguments(Named.of("Pod with two terms of node.Name affinity",
                        required(term(fields(name("In", "node1"))), term(fields(name("In", "node2"))))),
                        PreFilterResult.only(Set.of("node1", "node2"))),
                arguments(Named.of("Pod with two conflicting mach field requirements",
                        required(term(fields(name("In", "node1"), name("In", "node2"))))),
                        PreFilterResult.of(Status.unresolvable("pod affinity terms conflict"))));
    }

    @ParameterizedTest
    @MethodSource("preFilterCases")
    void preFilter(MakePod pod, PreFilterResult expected) {
        ClusterSnapshot snapshot = Plugins.snapshot(List.of(MakeNode.node("node1").obj()), List.of());

        assertThat(Plugins.preFilter(new NodeAffinity(), pod.obj(), snapshot)).isEqualTo(expected);
    }

    private static final String AFFINITY1 = """
            {"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
              {"weight":2,"preference":{"matchExpressions":[{"key":"foo","operator":"In","values":["bar"]}]}}]}}""";
    private static final String AFFINITY2 = """
            {"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
              {"weight":2,"preference":{"matchExpressions":[{"key":"foo","operator":"In","values":["bar"]}]}},
              {"weight":4,"preference":{"matchExpressions":[{"key":"key","operator":"In","values":["value"]}]}},
              {"weight":5,"preference":{"matchExpressions":[{"key":"foo","operator":"In","values":["bar"]},
                {"key":"key","operator":"In","values":["value"]},{"key":"az","operator":"In","values":["az1"]}]}}]}}""";

    private static List<ObjectNode> nodes() {
        return List.of(MakeNode.node("node1").label("foo", "bar").obj(),
                MakeNode.node("node2").label("key", "value").obj(),
                MakeNode.node("node3").label("az", "az1").obj(),
                MakeNode.node("node5").label("foo", "bar").label("key", "value").label("az", "az1").obj());
    }

    static Stream<Arguments> scoreCases() {
        return Stream.of(
                arguments(Named.of("all nodes are same priority as NodeAffinity is nil", MakePod.pod("p")),
                        Map.of("node1", 0L, "node2", 0L, "node3", 0L, "node5", 0L)),
                arguments(Named.of("no node matches preferred scheduling requirements in NodeAffinity of pod so all "
                                + "nodes' priority is zero", MakePod.pod("p").spec("affinity", """
                                {"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                                  {"weight":2,"preference":{"matchExpressions":[{"key":"foo","operator":"In","values":["none"]}]}}]}}"""))
                        , Map.of("node1", 0L, "node2", 0L, "node3", 0L, "node5", 0L)),
                arguments(Named.of("only node1 and node5 match the preferred scheduling requirements of pod",
                                MakePod.pod("p").spec("affinity", AFFINITY1)),
                        Map.of("node1", 100L, "node2", 0L, "node3", 0L, "node5", 100L)),
                // node1 2 of 11 -> 18, node2 4 of 11 -> 36, node5 11 of 11 -> 100
                arguments(Named.of("all nodes matches the preferred scheduling requirements of pod but with different "
                                + "priorities", MakePod.pod("p").spec("affinity", AFFINITY2)),
                        Map.of("node1", 18L, "node2", 36L, "node3", 0L, "node5", 100L)));
    }

    @ParameterizedTest
    @MethodSource("scoreCases")
    void score(MakePod pod, Map<String, Long> expected) {
        assertThat(Plugins.scores(new NodeAffinity(), pod.obj(), Plugins.snapshot(nodes(), List.of())))
                .isEqualTo(expected);
    }

    @Test
    void anInvalidPreferredTermFailsPreScore() {
        MakePod pod = MakePod.pod("p").spec("affinity", """
                {"nodeAffinity":{"preferredDuringSchedulingIgnoredDuringExecution":[
                  {"weight":2,"preference":{"matchExpressions":[{"key":"foo","operator":"Near","values":["bar"]}]}}]}}""");

        Status status = new NodeAffinity().preScore(new dev.kumo.controllers.scheduler.framework.CycleState(),
                pod.info(), List.of(), Plugins.snapshot(nodes(), List.of()));

        assertThat(status).isEqualTo(Status.error("[0].matchExpressions[0].operator: Unsupported value: \"Near\""));
    }
}
