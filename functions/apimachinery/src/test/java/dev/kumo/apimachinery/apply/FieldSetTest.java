package dev.kumo.apimachinery.apply;

import static dev.kumo.apimachinery.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSetTest {

    private static final FieldPath REPLICAS = FieldPath.ofFields("spec", "replicas");
    private static final FieldPath LABEL_A = FieldPath.ofFields("metadata", "labels", "a");
    private static final FieldPath LABEL_B = FieldPath.ofFields("metadata", "labels", "b");
    private static final FieldPath NGINX = FieldPath.ofFields("spec", "containers")
            .append(new PathElement.Key(List.of(new PathElement.KeyField("name", TextNode.valueOf("nginx")))));
    private static final FieldPath NGINX_IMAGE = NGINX.append(new PathElement.Field("image"));

    @Test
    void setOperationsWorkPerPath() {
        FieldSet left = FieldSet.of(REPLICAS, LABEL_A, NGINX, NGINX_IMAGE);
        FieldSet right = FieldSet.of(LABEL_A, LABEL_B, NGINX_IMAGE);

        assertThat(left.union(right)).isEqualTo(FieldSet.of(REPLICAS, LABEL_A, LABEL_B, NGINX, NGINX_IMAGE));
        assertThat(left.intersection(right)).isEqualTo(FieldSet.of(LABEL_A, NGINX_IMAGE));
        assertThat(left.difference(right)).isEqualTo(FieldSet.of(REPLICAS, NGINX));
        assertThat(left.difference(left).isEmpty()).isTrue();
    }

    @Test
    void differenceKeepsWhatIsBelowARemovedMemberButRecursiveDifferenceDoesNot() {
        FieldSet set = FieldSet.of(NGINX, NGINX_IMAGE, REPLICAS);

        assertThat(set.difference(FieldSet.of(NGINX))).isEqualTo(FieldSet.of(NGINX_IMAGE, REPLICAS));
        assertThat(set.recursiveDifference(FieldSet.of(NGINX))).isEqualTo(FieldSet.of(REPLICAS));
        assertThat(set.recursiveDifference(FieldSet.of(FieldPath.ofFields("spec")))).isEqualTo(FieldSet.empty());
    }

    @Test
    void containsOnlyMembers() {
        FieldSet set = FieldSet.of(NGINX_IMAGE);

        assertThat(set.contains(NGINX_IMAGE)).isTrue();
        assertThat(set.contains(NGINX)).isFalse();
        assertThat(set.contains(FieldPath.ofFields())).isFalse();
    }

    @Test
    void listsPathsLevelByLevelInKubernetesOrder() {
        FieldSet set = FieldSet.of(NGINX_IMAGE, REPLICAS, NGINX, LABEL_B, LABEL_A);

        assertThat(set.paths()).extracting(FieldPath::toString).containsExactly(
                ".metadata.labels.a", ".metadata.labels.b",
                ".spec.replicas", ".spec.containers[name=\"nginx\"]", ".spec.containers[name=\"nginx\"].image");
    }

    @Test
    void pathElementsPrintLikeKubernetes() {
        PathElement port = new PathElement.Key(List.of(
                new PathElement.KeyField("protocol", TextNode.valueOf("TCP")),
                new PathElement.KeyField("containerPort", IntNode.valueOf(80))));

        assertThat(port.toString()).isEqualTo("[containerPort=80,protocol=\"TCP\"]");
        assertThat(port.fieldsV1Key()).isEqualTo("k:{\"containerPort\":80,\"protocol\":\"TCP\"}");
        assertThat(new PathElement.Value(TextNode.valueOf("x")).toString()).isEqualTo("[=\"x\"]");
        assertThat(new PathElement.Index(2).fieldsV1Key()).isEqualTo("i:2");
    }

    @Test
    void numbersAreEqualWhateverTheirJavaType() {
        assertThat(new PathElement.Value(json("80"))).isEqualTo(new PathElement.Value(json("80.0")));
        assertThat(new PathElement.Value(json("80"))).isNotEqualTo(new PathElement.Value(json("'80'")));
    }

    @Test
    void elementsOrderFieldsThenKeysThenValuesThenIndexes() {
        List<PathElement> sorted = new java.util.ArrayList<>(List.of(
                new PathElement.Index(0),
                new PathElement.Value(TextNode.valueOf("a")),
                new PathElement.Value(IntNode.valueOf(10)),
                new PathElement.Key(List.of(new PathElement.KeyField("name", TextNode.valueOf("a")))),
                new PathElement.Field("b"),
                new PathElement.Field("a")));
        java.util.Collections.sort(sorted);

        assertThat(sorted).extracting(PathElement::fieldsV1Key)
                .containsExactly("f:a", "f:b", "k:{\"name\":\"a\"}", "v:10", "v:\"a\"", "i:0");
    }

    @Test
    void fieldsV1RoundTrips() {
        String fieldsV1 = """
                {"f:metadata":{"f:finalizers":{".":{},"v:\\"example.com/a\\"":{}},"f:labels":{".":{},"f:app":{}}},
                 "f:spec":{"f:containers":{"k:{\\"name\\":\\"nginx\\"}":{".":{},"f:image":{},"f:name":{},
                   "f:ports":{".":{},"k:{\\"containerPort\\":80,\\"protocol\\":\\"TCP\\"}":{".":{},"f:containerPort":{}}}}},
                   "f:replicas":{},"f:selector":{},"f:tolerations":{"i:0":{}}}}""";

        FieldSet set = FieldsV1.decode(json(fieldsV1));

        assertThat(set.contains(FieldPath.ofFields("metadata", "labels"))).isTrue();
        assertThat(set.contains(FieldPath.ofFields("metadata", "labels", "app"))).isTrue();
        assertThat(set.contains(FieldPath.ofFields("spec"))).isFalse();
        assertThat(set.contains(NGINX)).isTrue();
        assertThat(set.contains(NGINX_IMAGE)).isTrue();
        assertThat(FieldsV1.encode(set)).isEqualTo(json(fieldsV1));
        assertThat(FieldsV1.encode(set).toString()).isEqualTo(json(fieldsV1).toString());
    }

    @Test
    void encodesInSortedOrder() {
        FieldSet set = FieldSet.of(FieldPath.ofFields("spec", "replicas"), FieldPath.ofFields("data", "z"),
                FieldPath.ofFields("data", "a"));

        assertThat(FieldsV1.encode(set).toString())
                .isEqualTo("{\"f:data\":{\"f:a\":{},\"f:z\":{}},\"f:spec\":{\"f:replicas\":{}}}");
    }

    @Test
    void rejectsMalformedFieldsV1() {
        assertThatThrownBy(() -> FieldsV1.decode(json("{'x:y': {}}")))
                .isInstanceOf(InvalidManagedFieldsException.class).hasMessageContaining("x:y");
        assertThatThrownBy(() -> FieldsV1.decode(json("{'k:{bad': {}}")))
                .isInstanceOf(InvalidManagedFieldsException.class);
        assertThatThrownBy(() -> FieldsV1.decode(json("{'f:a': 1}")))
                .isInstanceOf(InvalidManagedFieldsException.class);
        assertThatThrownBy(() -> FieldsV1.decode(json("{'i:x': {}}")))
                .isInstanceOf(InvalidManagedFieldsException.class);
    }
}
