package dev.kumo.apimachinery.patch.schema;

import static dev.kumo.apimachinery.TestJson.KUBERNETES;
import static dev.kumo.apimachinery.TestJson.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OpenApiMergeSchemaTest {

    private static final GroupVersionKind POD = GroupVersionKind.of("v1", "Pod");
    private static final GroupVersionKind DEPLOYMENT = GroupVersionKind.of("apps/v1", "Deployment");

    @Test
    void containersAreAListMapMergedByName() {
        SchemaNode containers = KUBERNETES.at(POD, "spec", "containers");

        assertThat(containers.shape()).isEqualTo(Shape.LIST);
        assertThat(containers.listType()).isEqualTo(ListType.MAP);
        assertThat(containers.listMapKeys()).containsExactly("name");
        assertThat(containers.patchStrategy()).isEqualTo(new PatchStrategy(true, false, false));
        assertThat(containers.patchMergeKey()).contains("name");
        assertThat(containers.items().shape()).isEqualTo(Shape.OBJECT);
        assertThat(containers.items().declares("image")).isTrue();
    }

    @Test
    void containerPortsAreKeyedByPortAndProtocolButMergedByPort() {
        SchemaNode ports = KUBERNETES.at(DEPLOYMENT, "spec", "template", "spec", "containers", "ports");

        assertThat(ports.listMapKeys()).containsExactly("containerPort", "protocol");
        assertThat(ports.patchMergeKey()).contains("containerPort");
        assertThat(ports.items().field("protocol").defaultValue()).contains(TextNode.valueOf("TCP"));
    }

    @Test
    void envVolumesAndMountsHaveTheirKeys() {
        assertThat(KUBERNETES.at(POD, "spec", "containers", "env").listMapKeys()).containsExactly("name");
        assertThat(KUBERNETES.at(POD, "spec", "containers", "volumeMounts").patchMergeKey()).contains("mountPath");
        SchemaNode volumes = KUBERNETES.at(POD, "spec", "volumes");
        assertThat(volumes.patchStrategy()).isEqualTo(new PatchStrategy(true, false, true));
        assertThat(volumes.patchMergeKey()).contains("name");
    }

    @Test
    void metadataListsAreASetAndAMapByUid() {
        SchemaNode finalizers = KUBERNETES.at(POD, "metadata", "finalizers");
        assertThat(finalizers.listType()).isEqualTo(ListType.SET);
        assertThat(finalizers.patchStrategy().merge()).isTrue();
        assertThat(finalizers.patchMergeKey()).isEmpty();

        SchemaNode owners = KUBERNETES.at(POD, "metadata", "ownerReferences");
        assertThat(owners.listType()).isEqualTo(ListType.MAP);
        assertThat(owners.listMapKeys()).containsExactly("uid");
        assertThat(owners.items().mapType()).isEqualTo(MapType.ATOMIC);
    }

    @Test
    void mapsAreGranularUnlessMarkedAtomic() {
        SchemaNode labels = KUBERNETES.at(POD, "metadata", "labels");
        assertThat(labels.shape()).isEqualTo(Shape.OBJECT);
        assertThat(labels.mapType()).isEqualTo(MapType.GRANULAR);
        assertThat(labels.declares("app")).isFalse();
        assertThat(labels.field("app").shape()).isEqualTo(Shape.SCALAR);

        assertThat(KUBERNETES.at(POD, "spec", "nodeSelector").mapType()).isEqualTo(MapType.ATOMIC);
        assertThat(KUBERNETES.at(DEPLOYMENT, "spec", "selector").mapType()).isEqualTo(MapType.ATOMIC);
    }

    @Test
    void patchStrategyOnAReferencingPropertyIsKept() {
        SchemaNode strategy = KUBERNETES.at(DEPLOYMENT, "spec", "strategy");

        assertThat(strategy.patchStrategy()).isEqualTo(new PatchStrategy(false, false, true));
        assertThat(strategy.declares("rollingUpdate")).isTrue();
        assertThat(strategy.at("rollingUpdate", "maxSurge").shape()).isEqualTo(Shape.SCALAR);
    }

    @Test
    void listsWithoutStrategyAreAtomic() {
        SchemaNode tolerations = KUBERNETES.at(POD, "spec", "tolerations");
        assertThat(tolerations.listType()).isEqualTo(ListType.ATOMIC);
        assertThat(tolerations.patchStrategy()).isEqualTo(PatchStrategy.NONE);
    }

    @Test
    void unknownKindsAreUntypedExceptForObjectMeta() {
        GroupVersionKind widget = GroupVersionKind.of("example.com/v1", "Widget");

        assertThat(KUBERNETES.find(widget)).isEmpty();
        SchemaNode root = KUBERNETES.root(widget);
        assertThat(root.at("spec", "items").listType()).isEqualTo(ListType.ATOMIC);
        assertThat(root.at("spec", "config").mapType()).isEqualTo(MapType.GRANULAR);
        assertThat(root.declares("spec")).isFalse();
        assertThat(root.at("metadata", "finalizers").listType()).isEqualTo(ListType.SET);
    }

    @Test
    void inlineCustomResourceSchemasUseObjectMetaForMetadata() {
        GroupVersionKind widget = GroupVersionKind.of("example.com/v1", "Widget");
        OpenApiMergeSchema withWidget = KUBERNETES.withKind(widget, json("""
                {type: 'object', properties: {
                  metadata: {type: 'object'},
                  spec: {type: 'object', properties: {
                    ports: {type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port'],
                            items: {type: 'object', properties: {port: {type: 'integer'}}}},
                    raw: {type: 'object', 'x-kubernetes-preserve-unknown-fields': true}}}}}"""));

        assertThat(withWidget.find(widget)).isPresent();
        assertThat(withWidget.at(widget, "spec", "ports").listMapKeys()).containsExactly("port");
        assertThat(withWidget.at(widget, "spec", "raw").shape()).isEqualTo(Shape.UNTYPED);
        assertThat(withWidget.at(widget, "metadata", "ownerReferences").listMapKeys()).containsExactly("uid");
        assertThat(KUBERNETES.find(widget)).as("the original is unchanged").isEmpty();
    }

    @Test
    void recursiveSchemasResolveLazily() {
        GroupVersionKind props = GroupVersionKind.of("test/v1", "Props");
        OpenApiMergeSchema schema = KUBERNETES.withKind(props, json(
                "{'$ref': '#/components/schemas/io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSONSchemaProps'}"));

        SchemaNode deep = schema.root(props).at("properties", "a", "items", "properties", "b", "allOf");
        assertThat(deep.shape()).isEqualTo(Shape.LIST);
        assertThat(deep.listType()).isEqualTo(ListType.ATOMIC);
    }

    @Test
    void listTypeIsDerivedFromThePatchStrategyWhenAbsent() {
        GroupVersionKind kind = GroupVersionKind.of("test/v1", "Old");
        OpenApiMergeSchema schema = KUBERNETES.withKind(kind, json("""
                {properties: {
                  keyed: {type: 'array', items: {type: 'object'}, 'x-kubernetes-patch-strategy': 'merge',
                          'x-kubernetes-patch-merge-key': 'id'},
                  set: {type: 'array', items: {type: 'string'}, 'x-kubernetes-patch-strategy': 'merge'},
                  replaced: {type: 'array', items: {type: 'string'}, 'x-kubernetes-patch-strategy': 'replace'}}}"""));

        assertThat(schema.at(kind, "keyed").listType()).isEqualTo(ListType.MAP);
        assertThat(schema.at(kind, "keyed").listMapKeys()).containsExactly("id");
        assertThat(schema.at(kind, "set").listType()).isEqualTo(ListType.SET);
        assertThat(schema.at(kind, "replaced").listType()).isEqualTo(ListType.ATOMIC);
        assertThat(schema.at(kind, "replaced").patchStrategy().replace()).isTrue();
    }

    @Test
    void readsSwagger2Definitions() {
        OpenApiMergeSchema v2 = OpenApiMergeSchema.of(json("""
                {swagger: '2.0', definitions: {
                  'io.k8s.api.core.v1.Service': {'x-kubernetes-group-version-kind': [{group: '', version: 'v1', kind: 'Service'}],
                    properties: {spec: {'$ref': '#/definitions/io.k8s.api.core.v1.ServiceSpec'}}},
                  'io.k8s.api.core.v1.ServiceSpec': {properties: {ports: {type: 'array', items: {type: 'object'},
                    'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port', 'protocol']}}}}}"""));

        assertThat(v2.at(GroupVersionKind.of("v1", "Service"), "spec", "ports").listMapKeys())
                .isEqualTo(List.of("port", "protocol"));
    }

    @Test
    void rejectsDocumentsWithoutSchemas() {
        assertThatThrownBy(() -> OpenApiMergeSchema.of(json("{openapi: '3.0.0'}")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void orElseFallsBackForUnknownKinds() {
        GroupVersionKind widget = GroupVersionKind.of("example.com/v1", "Widget");
        MergeSchema widgets = kind -> kind.equals(widget) ? Optional.of(SchemaNode.untyped()) : Optional.empty();
        MergeSchema combined = widgets.orElse(KUBERNETES);

        assertThat(combined.find(widget)).isPresent();
        assertThat(combined.at(POD, "spec", "containers").listType()).isEqualTo(ListType.MAP);
        assertThat(MergeSchema.untyped().root(POD)).isEqualTo(SchemaNode.untyped());
    }

    @Test
    void groupVersionKindParsesApiVersions() {
        assertThat(GroupVersionKind.of("v1", "Pod")).isEqualTo(new GroupVersionKind("", "v1", "Pod"));
        assertThat(DEPLOYMENT.apiVersion()).isEqualTo("apps/v1");
        assertThat(GroupVersionKind.ofObject(json("{apiVersion: 'apps/v1', kind: 'Deployment'}"))).contains(DEPLOYMENT);
        assertThat(GroupVersionKind.ofObject(json("{kind: 'Deployment'}"))).isEmpty();
    }

    @Test
    void patchStrategyParsesCombinations() {
        assertThat(PatchStrategy.parse("merge,retainKeys")).isEqualTo(new PatchStrategy(true, false, true));
        assertThat(PatchStrategy.parse("replace")).isEqualTo(new PatchStrategy(false, true, false));
        assertThat(PatchStrategy.parse(null)).isEqualTo(PatchStrategy.NONE);
    }
}
