package dev.kumo.apimachinery.apply;

import static dev.kumo.apimachinery.TestJson.KUBERNETES;
import static dev.kumo.apimachinery.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.patch.schema.GroupVersionKind;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The schema-driven walks behind server-side apply: merge, compare, field sets, pruning. */
class TypedWalkersTest {

    private static final SchemaNode POD = KUBERNETES.root(GroupVersionKind.of("v1", "Pod"));
    private static final FieldPath ROOT = new FieldPath(List.of());

    static Stream<Arguments> listMerges() {
        return Stream.of(
                Arguments.of("['a', 'b']", "['b', 'c']", "['a', 'b', 'c']"),
                Arguments.of("['a', 'b', 'c']", "['c', 'a']", "['b', 'c', 'a']"),
                Arguments.of("['a', 'b']", "['b', 'a']", "['b', 'a']"),
                Arguments.of("['a', 'x']", "['b', 'a']", "['b', 'a', 'x']"),
                Arguments.of("['x', 'a']", "['a']", "['x', 'a']"),
                Arguments.of("['a', 'b']", "['b', 'c', 'a']", "['b', 'c', 'a']"),
                Arguments.of("[]", "['a']", "['a']"));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("listMerges")
    void mergesSetsInTheConfigurationsOrderKeepingLiveItemsInPlace(String live, String config, String expected) {
        JsonNode merged = ObjectMerger.merge(json("{metadata: {finalizers: " + live + "}}"),
                json("{metadata: {finalizers: " + config + "}}"), POD, ROOT);

        assertThat(merged.at("/metadata/finalizers")).isEqualTo(json(expected));
    }

    @Test
    void mergesListMapItemsAndReplacesAtomicValues() {
        JsonNode merged = ObjectMerger.merge(json("""
                {spec: {containers: [{name: 'a', image: '1', args: ['x', 'y']}, {name: 'b', image: '1'}],
                        nodeSelector: {zone: 'a', disk: 'ssd'}, tolerations: [{key: 'k'}]}}"""), json("""
                {spec: {containers: [{name: 'a', args: ['z']}], nodeSelector: {zone: 'b'}, tolerations: []}}"""),
                POD, ROOT);

        assertThat(merged).isEqualTo(json("""
                {spec: {containers: [{name: 'a', image: '1', args: ['z']}, {name: 'b', image: '1'}],
                        nodeSelector: {zone: 'b'}, tolerations: []}}"""));
    }

    @Test
    void comparesLeavesAndContainerItems() {
        Comparison comparison = ObjectComparator.compare(json("""
                {metadata: {labels: {a: '1', b: '2'}}, spec: {containers: [{name: 'app', image: '1'}, {name: 'old'}]}}"""),
                json("""
                {metadata: {labels: {a: '1', b: '3'}, annotations: {n: 'x'}},
                 spec: {containers: [{name: 'app', image: '2'}, {name: 'new', image: '1'}]}}"""), POD);

        assertThat(comparison.modified().paths()).extracting(FieldPath::toString).containsExactly(
                ".metadata.labels.b", ".spec.containers[name=\"app\"].image");
        assertThat(comparison.added().paths()).extracting(FieldPath::toString).containsExactly(
                ".metadata.annotations", ".metadata.annotations.n", ".spec.containers[name=\"new\"]",
                ".spec.containers[name=\"new\"].image", ".spec.containers[name=\"new\"].name");
        assertThat(comparison.removed().paths()).extracting(FieldPath::toString).containsExactly(
                ".spec.containers[name=\"old\"]", ".spec.containers[name=\"old\"].name");
    }

    @Test
    void anAtomicValueIsOneLeaf() {
        Comparison comparison = ObjectComparator.compare(json("{spec: {nodeSelector: {a: '1'}, tolerations: [{key: 'a'}]}}"),
                json("{spec: {nodeSelector: {a: '2'}, tolerations: [{key: 'b'}]}}"), POD);

        assertThat(comparison.modified()).isEqualTo(FieldSet.of(
                FieldPath.ofFields("spec", "nodeSelector"), FieldPath.ofFields("spec", "tolerations")));
    }

    @Test
    void emptyContainersAreLeaves() {
        Comparison comparison = ObjectComparator.compare(json("{spec: {}}"), json("{spec: {containers: []}}"), POD);

        assertThat(comparison.added()).isEqualTo(FieldSet.of(FieldPath.ofFields("spec", "containers")));
    }

    @Test
    void collectsWhatAConfigurationSets() {
        FieldSet set = FieldSetCollector.collect(json("""
                {metadata: {labels: {a: '1'}, finalizers: ['f']}, spec: {nodeSelector: {z: 'a'},
                 containers: [{name: 'app', resources: {limits: {cpu: '1'}}}]}, status: {phase: null}}"""), POD);

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactly(
                ".metadata.finalizers[=\"f\"]", ".metadata.labels.a", ".spec.nodeSelector",
                ".spec.containers[name=\"app\"]", ".spec.containers[name=\"app\"].name",
                ".spec.containers[name=\"app\"].resources.limits.cpu", ".status.phase");
    }

    @Test
    void untypedMapEntriesAreMembersAndListsAreAtomic() {
        SchemaNode widget = KUBERNETES.root(GroupVersionKind.of("example.com/v1", "Widget"));

        FieldSet set = FieldSetCollector.collect(json("{spec: {items: [{a: 1}], config: {x: 1}}}"), widget);

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactly(
                ".spec", ".spec.config", ".spec.items", ".spec.config.x");
    }

    @Test
    void pruningKeepsDeclaredParentsOfFieldsOthersOwn() {
        JsonNode merged = json(
                "{spec: {containers: [{name: 'a', image: 'x', resources: {limits: {cpu: '1', memory: '1Gi'}}}]}}");
        FieldPath container = containerNamed("a");
        FieldPath limits = container.append(new PathElement.Field("resources")).append(new PathElement.Field("limits"));
        FieldSet previous = FieldSet.of(container, container.append(new PathElement.Field("image")),
                limits.append(new PathElement.Field("cpu")));
        FieldSet stillOwned = FieldSet.of(container, container.append(new PathElement.Field("image")),
                limits.append(new PathElement.Field("memory")));

        JsonNode pruned = Pruner.prune(merged, previous, stillOwned, POD);

        assertThat(pruned).isEqualTo(json(
                "{spec: {containers: [{name: 'a', image: 'x', resources: {limits: {memory: '1Gi'}}}]}}"));
    }

    @Test
    void pruningRemovesADeclaredFieldNobodyOwnsAnythingIn() {
        JsonNode merged = json("{spec: {containers: [{name: 'a', image: 'x', resources: {limits: {cpu: '1'}}}]}}");
        FieldPath container = containerNamed("a");
        FieldSet previous = FieldSet.of(container, container.append(new PathElement.Field("image")),
                container.append(new PathElement.Field("resources")).append(new PathElement.Field("limits"))
                        .append(new PathElement.Field("cpu")));

        JsonNode pruned = Pruner.prune(merged, previous, FieldSet.of(container), POD);

        assertThat(pruned).isEqualTo(json("{spec: {containers: [{name: 'a'}]}}"));
    }

    @Test
    void pruningRemovesAnItemWithEverythingInIt() {
        JsonNode merged = json("{spec: {containers: [{name: 'a'}, {name: 'b', image: 'y'}]}}");
        FieldPath b = containerNamed("b");

        JsonNode pruned = Pruner.prune(merged, FieldSet.of(b, b.append(new PathElement.Field("name"))),
                FieldSet.of(containerNamed("a")), POD);

        assertThat(pruned).isEqualTo(json("{spec: {containers: [{name: 'a'}]}}"));
    }

    private static FieldPath containerNamed(String name) {
        return FieldPath.ofFields("spec", "containers").append(new PathElement.Key(
                List.of(new PathElement.KeyField("name", json("'" + name + "'")))));
    }
}
