package dev.kumo.apimachinery.apply;

import static dev.kumo.apimachinery.TestJson.KUBERNETES;
import static dev.kumo.apimachinery.TestJson.json;
import static dev.kumo.apimachinery.TestJson.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.schema.GroupVersionKind;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldManagerApplyTest {

    private static final Instant NOW = Instant.parse("2024-05-01T10:00:00.123Z");
    private final FieldManager fields = new FieldManager(KUBERNETES, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void createsTheObjectAndRecordsWhatTheApplierOwns() {
        ObjectNode config = deployment(3, "nginx:1.14.2");

        ObjectNode created = applied(fields.apply(null, config, "kubectl", false));

        assertThat(withoutManagedFields(created)).isEqualTo(config);
        assertThat(created.at("/metadata/managedFields")).isEqualTo(json("""
                [{manager: 'kubectl', operation: 'Apply', apiVersion: 'apps/v1', time: '2024-05-01T10:00:00Z',
                  fieldsType: 'FieldsV1', fieldsV1: {
                    'f:metadata': {'f:labels': {'f:app': {}}},
                    'f:spec': {'f:replicas': {}, 'f:selector': {}, 'f:template': {
                      'f:metadata': {'f:labels': {'f:app': {}}},
                      'f:spec': {'f:containers': {'k:{"name":"nginx"}': {'.': {}, 'f:image': {}, 'f:name': {},
                        'f:ports': {'k:{"containerPort":80,"protocol":"TCP"}': {'.': {}, 'f:containerPort': {}}}}}}}}}}]"""));
    }

    @Test
    void twoManagersOwnDifferentLabels() {
        ObjectNode live = applied(fields.apply(null, configMap("{labels: {a: '1'}}", "{x: '1'}"), "alice", false));
        live = applied(fields.apply(live, configMap("{labels: {b: '2'}}", null), "bob", false));

        assertThat(live.at("/metadata/labels")).isEqualTo(json("{a: '1', b: '2'}"));
        assertThat(owned(live, "alice")).isEqualTo(FieldSet.of(
                FieldPath.ofFields("metadata", "labels", "a"), FieldPath.ofFields("data", "x")));
        assertThat(owned(live, "bob")).isEqualTo(FieldSet.of(FieldPath.ofFields("metadata", "labels", "b")));

        live = applied(fields.apply(live, configMap(null, "{x: '1'}"), "alice", false));

        assertThat(live.at("/metadata/labels")).as("alice's label is gone, bob's stays").isEqualTo(json("{b: '2'}"));
        assertThat(owned(live, "alice")).isEqualTo(FieldSet.of(FieldPath.ofFields("data", "x")));
    }

    @Test
    void conflictsOnAFieldAnotherApplierOwns() {
        ObjectNode live = applied(fields.apply(null, deployment(3, "nginx"), "alice", false));

        ApplyResult result = fields.apply(live, deployment(5, "nginx"), "bob", false);

        assertThat(result).isInstanceOf(ApplyResult.Conflicted.class);
        ApplyResult.Conflicted conflicted = (ApplyResult.Conflicted) result;
        assertThat(conflicted.conflicts()).containsExactly(
                new Conflict("alice", "\"alice\"", FieldPath.ofFields("spec", "replicas")));
        assertThat(conflicted.message()).isEqualTo("Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas");
        assertThat(conflicted.conflicts().get(0).message()).isEqualTo("conflict with \"alice\"");
        assertThat(conflicted.conflicts().get(0).field()).isEqualTo(".spec.replicas");
    }

    @Test
    void applyingTheSameValueSharesOwnership() {
        ObjectNode live = applied(fields.apply(null, deployment(3, "nginx"), "alice", false));

        ObjectNode shared = applied(fields.apply(live, deployment(3, "nginx"), "bob", false));

        FieldPath replicas = FieldPath.ofFields("spec", "replicas");
        assertThat(owned(shared, "alice").contains(replicas)).isTrue();
        assertThat(owned(shared, "bob").contains(replicas)).isTrue();
    }

    @Test
    void forceTakesOwnershipOfConflictingFields() {
        ObjectNode live = applied(fields.apply(null, deployment(3, "nginx"), "alice", false));

        ObjectNode forced = applied(fields.apply(live, deployment(5, "nginx"), "bob", true));

        FieldPath replicas = FieldPath.ofFields("spec", "replicas");
        assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(5);
        assertThat(owned(forced, "bob").contains(replicas)).isTrue();
        assertThat(owned(forced, "alice").contains(replicas)).isFalse();
        assertThat(owned(forced, "alice").contains(FieldPath.ofFields("spec", "selector")))
                .as("alice keeps the fields bob set to the same value").isTrue();
    }

    @Test
    void removesFieldsTheApplierStoppedApplyingUnlessSomeoneElseOwnsThem() {
        ObjectNode live = applied(fields.apply(null,
                configMap("{annotations: {mine: 'x', shared: 'y'}}", "{a: '1'}"), "alice", false));
        live = applied(fields.apply(live, configMap("{annotations: {shared: 'y'}}", null), "bob", false));

        live = applied(fields.apply(live, configMap(null, "{a: '1'}"), "alice", false));

        assertThat(live.at("/metadata/annotations")).isEqualTo(json("{shared: 'y'}"));
        assertThat(live.at("/data")).isEqualTo(json("{a: '1'}"));
    }

    @Test
    void fieldsOwnedByAnUpdaterSurviveWhenTheApplierStopsApplyingThem() {
        ObjectNode live = applied(fields.apply(null, configMap(null, "{a: '1', b: '2'}"), "alice", false));
        ObjectNode edited = live.deepCopy();
        ((ObjectNode) edited.get("data")).put("b", "edited");
        live = fields.recordUpdate(live, edited, "editor", "");

        live = applied(fields.apply(live, configMap(null, "{a: '1'}"), "alice", false));

        assertThat(live.at("/data")).isEqualTo(json("{a: '1', b: 'edited'}"));
    }

    @Test
    void kubectlCreateThenServerSideApply() {
        ObjectNode created = fields.recordUpdate(null, deployment(3, "nginx"), "kubectl-create", "");
        assertThat(created.at("/metadata/managedFields/0/manager").asText()).isEqualTo("kubectl-create");
        assertThat(created.at("/metadata/managedFields/0/operation").asText()).isEqualTo("Update");
        assertThat(created.at("/metadata/managedFields/0/apiVersion").asText()).isEqualTo("apps/v1");

        ApplyResult changed = fields.apply(created, deployment(4, "nginx"), "kubectl", false);
        assertThat(((ApplyResult.Conflicted) changed).message()).isEqualTo(
                "Apply failed with 1 conflict: conflict with \"kubectl-create\" using apps/v1: .spec.replicas");

        ObjectNode same = applied(fields.apply(created, deployment(3, "nginx"), "kubectl", false));
        FieldPath replicas = FieldPath.ofFields("spec", "replicas");
        assertThat(owned(same, "kubectl").contains(replicas)).isTrue();
        assertThat(owned(same, "kubectl-create").contains(replicas)).isTrue();
        assertThat(same.at("/metadata/managedFields").findValuesAsText("manager"))
                .as("Apply entries come first").containsExactly("kubectl", "kubectl-create");

        ObjectNode forced = applied(fields.apply(same, deployment(4, "nginx"), "kubectl", true));
        assertThat(forced.at("/spec/replicas").asInt()).isEqualTo(4);
        assertThat(owned(forced, "kubectl-create").contains(replicas)).isFalse();
        assertThat(owned(forced, "kubectl").contains(replicas)).isTrue();
    }

    @Test
    void mergesContainersByNameBetweenAppliers() {
        ObjectNode live = applied(fields.apply(null, deployment(3, "nginx:1"), "alice", false));
        ObjectNode sidecar = object("""
                {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'nginx'},
                 spec: {template: {spec: {containers: [{name: 'sidecar', image: 'envoy'}]}}}}""");

        live = applied(fields.apply(live, sidecar, "bob", false));

        assertThat(live.at("/spec/template/spec/containers").findValuesAsText("name"))
                .containsExactly("nginx", "sidecar");
        assertThat(FieldsV1.encode(owned(live, "bob"))).isEqualTo(json("""
                {'f:spec': {'f:template': {'f:spec': {'f:containers': {
                  'k:{"name":"sidecar"}': {'.': {}, 'f:image': {}, 'f:name': {}}}}}}}"""));

        live = applied(fields.apply(live, deployment(3, "nginx:2"), "alice", false));
        assertThat(live.at("/spec/template/spec/containers/0/image").asText()).isEqualTo("nginx:2");
        assertThat(live.at("/spec/template/spec/containers/1/name").asText()).isEqualTo("sidecar");

        ObjectNode bobSetsImage = object("""
                {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'nginx'},
                 spec: {template: {spec: {containers: [{name: 'nginx', image: 'nginx:3'}]}}}}""");
        ApplyResult.Conflicted conflict = (ApplyResult.Conflicted) fields.apply(live, bobSetsImage, "bob", false);
        assertThat(conflict.conflicts()).extracting(Conflict::field)
                .containsExactly(".spec.template.spec.containers[name=\"nginx\"].image");
    }

    @Test
    void removesListItemsTheApplierNoLongerApplies() {
        ObjectNode twoContainers = object("""
                {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', finalizers: ['a', 'b']},
                 spec: {containers: [{name: 'app', image: 'x'}, {name: 'log', image: 'y'}]}}""");
        ObjectNode live = applied(fields.apply(null, twoContainers, "alice", false));

        live = applied(fields.apply(live, object("""
                {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', finalizers: ['a']},
                 spec: {containers: [{name: 'app', image: 'x'}]}}"""), "alice", false));

        assertThat(live.at("/spec/containers")).isEqualTo(json("[{name: 'app', image: 'x'}]"));
        assertThat(live.at("/metadata/finalizers")).isEqualTo(json("['a']"));
    }

    @Test
    void setsMergeBetweenAppliersAndAtomicListsAreReplaced() {
        ObjectNode live = applied(fields.apply(null, pod("{finalizers: ['x']}", "[{key: 'a'}]"), "alice", false));

        live = applied(fields.apply(live, pod("{finalizers: ['y']}", "[{key: 'b'}]"), "bob", true));

        assertThat(live.at("/metadata/finalizers")).isEqualTo(json("['x', 'y']"));
        assertThat(live.at("/spec/tolerations")).isEqualTo(json("[{key: 'b'}]"));
        assertThat(owned(live, "bob").contains(FieldPath.ofFields("spec", "tolerations"))).isTrue();
        assertThat(owned(live, "alice").contains(FieldPath.ofFields("spec", "tolerations"))).isFalse();
    }

    @Test
    void listsSeveralConflictsPerManager() {
        ObjectNode live = applied(fields.apply(null, configMap(null, "{a: '1', b: '1'}"), "alice", false));
        live = applied(fields.apply(live, configMap(null, "{c: '1'}"), "carol", false));

        ApplyResult.Conflicted result = (ApplyResult.Conflicted) fields.apply(live,
                configMap(null, "{a: '2', b: '2', c: '2'}"), "bob", false);

        assertThat(result.message()).isEqualTo("""
                Apply failed with 3 conflicts: conflicts with "alice":
                - .data.a
                - .data.b
                conflicts with "carol":
                - .data.c""");
    }

    @Test
    void existingFieldsBelongToBeforeFirstApplyWhenNothingWasTracked() {
        ObjectNode untracked = configMap("{labels: {a: '1'}}", "{key: 'old'}");
        ((ObjectNode) untracked.get("metadata")).put("uid", "1234").put("resourceVersion", "7");

        ApplyResult result = fields.apply(untracked, configMap(null, "{key: 'new'}"), "alice", false);
        assertThat(((ApplyResult.Conflicted) result).message()).isEqualTo(
                "Apply failed with 1 conflict: conflict with \"before-first-apply\" using v1: .data.key");

        ObjectNode forced = applied(fields.apply(untracked, configMap(null, "{key: 'new'}"), "alice", true));
        assertThat(owned(forced, FieldManager.BEFORE_FIRST_APPLY)).isEqualTo(FieldSet.of(
                FieldPath.ofFields("metadata", "labels"), FieldPath.ofFields("metadata", "labels", "a"),
                FieldPath.ofFields("data")));
        assertThat(forced.at("/metadata/uid").asText()).isEqualTo("1234");
    }

    @Test
    void ignoredFieldsAreNeitherOwnedNorConflicting() {
        FieldSet status = FieldSet.of(FieldPath.ofFields("status"));
        FieldManager withStatus = new FieldManager(KUBERNETES, Clock.fixed(NOW, ZoneOffset.UTC),
                (kind, subresource) -> subresource.isEmpty() ? status : FieldSet.empty());
        ObjectNode config = deployment(1, "nginx");
        config.set("status", json("{replicas: 1}"));

        ObjectNode live = applied(withStatus.apply(null, config, "alice", false));

        assertThat(owned(live, "alice").contains(FieldPath.ofFields("status", "replicas"))).isFalse();
        assertThat(owned(live, "alice").contains(FieldPath.ofFields("spec", "replicas"))).isTrue();
    }

    @Test
    void rejectsUnacceptableConfigurations() {
        ObjectNode live = applied(fields.apply(null, deployment(1, "nginx"), "alice", false));
        ObjectNode withManagedFields = deployment(1, "nginx");
        ((ObjectNode) withManagedFields.get("metadata")).set("managedFields", json("[]"));

        assertThatThrownBy(() -> fields.apply(live, withManagedFields, "bob", false))
                .isInstanceOf(MalformedApplyConfigurationException.class)
                .hasMessage("metadata.managedFields must be nil");
        assertThatThrownBy(() -> fields.apply(live, object("{metadata: {name: 'x'}}"), "bob", false))
                .isInstanceOf(MalformedApplyConfigurationException.class)
                .hasMessageContaining("must set apiVersion and kind");
        assertThatThrownBy(() -> fields.apply(live, object("{apiVersion: 'apps/v2', kind: 'Deployment'}"), "bob", false))
                .isInstanceOf(MalformedApplyConfigurationException.class)
                .hasMessageContaining("Incorrect version specified in apply patch");
        assertThatThrownBy(() -> fields.apply(null, pod("{}", "[]", "[{name: 'a'}, {name: 'a'}]"), "bob", false))
                .isInstanceOf(MalformedApplyConfigurationException.class)
                .hasMessage(".spec.containers: duplicate entries for key [name=\"a\"]");
    }

    @Test
    void listMapKeysFallBackToTheirDefaultAndAreRequiredOtherwise() {
        ObjectNode noProtocol = applied(fields.apply(null, deployment(1, "nginx"), "alice", false));
        assertThat(owned(noProtocol, "alice").paths()).extracting(FieldPath::toString)
                .contains(".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80,protocol=\"TCP\"]");

        GroupVersionKind widget = GroupVersionKind.of("example.com/v1", "Widget");
        FieldManager widgets = new FieldManager(KUBERNETES.withKind(widget, json("""
                {type: 'object', properties: {spec: {type: 'object', properties: {ports: {type: 'array',
                  'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['port'],
                  items: {type: 'object', properties: {port: {type: 'integer'}, name: {type: 'string'}}}}}}}}""")),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThatThrownBy(() -> widgets.apply(null, object(
                "{apiVersion: 'example.com/v1', kind: 'Widget', spec: {ports: [{name: 'http'}]}}"), "bob", false))
                .isInstanceOf(MalformedApplyConfigurationException.class)
                .hasMessage(".spec.ports: associative list with keys has an element that omits key field \"port\""
                        + " (and doesn't have default value)");
    }

    @Test
    void rejectsUnreadableManagedFieldsOnTheLiveObject() {
        ObjectNode live = configMap(null, "{a: '1'}");
        ((ObjectNode) live.get("metadata")).set("managedFields", json("[{manager: 'x', operation: 'Apply'}]"));

        assertThatThrownBy(() -> fields.apply(live, configMap(null, "{a: '2'}"), "alice", false))
                .isInstanceOf(InvalidManagedFieldsException.class)
                .hasMessageContaining("fieldsType");
    }

    @Test
    void anApplierOnASubresourceIsAnotherManager() {
        ObjectNode live = applied(fields.apply(null, configMap(null, "{a: '1'}"), "alice", false));

        ObjectNode both = applied(fields.apply(live, configMap(null, "{b: '1'}"), "alice", "status", false));

        List<ManagedFieldsEntry> entries = ManagedFields.decode(both.at("/metadata/managedFields"));
        assertThat(entries).extracting(ManagedFieldsEntry::subresource).containsExactlyInAnyOrder("", "status");
        assertThat(both.at("/data")).isEqualTo(json("{a: '1', b: '1'}"));
    }

    static ObjectNode applied(ApplyResult result) {
        assertThat(result).isInstanceOf(ApplyResult.Applied.class);
        return ((ApplyResult.Applied) result).object();
    }

    static FieldSet owned(JsonNode object, String manager) {
        return ManagedFields.decode(object.at("/metadata/managedFields")).stream()
                .filter(entry -> entry.manager().equals(manager))
                .map(ManagedFieldsEntry::fields)
                .reduce(FieldSet.empty(), FieldSet::union);
    }

    static ObjectNode withoutManagedFields(ObjectNode object) {
        ObjectNode copy = object.deepCopy();
        ((ObjectNode) copy.get("metadata")).remove("managedFields");
        return copy;
    }

    static ObjectNode deployment(int replicas, String image) {
        return object("""
                {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'nginx', labels: {app: 'nginx'}},
                 spec: {replicas: %d, selector: {matchLabels: {app: 'nginx'}},
                   template: {metadata: {labels: {app: 'nginx'}},
                     spec: {containers: [{name: 'nginx', image: '%s', ports: [{containerPort: 80}]}]}}}}"""
                .formatted(replicas, image));
    }

    static ObjectNode configMap(String metadata, String data) {
        ObjectNode configMap = object("{apiVersion: 'v1', kind: 'ConfigMap', metadata: {name: 'cm'}}");
        if (metadata != null) {
            ((ObjectNode) configMap.get("metadata")).setAll(object(metadata));
        }
        if (data != null) {
            configMap.set("data", json(data));
        }
        return configMap;
    }

    private static ObjectNode pod(String metadata, String tolerations) {
        return pod(metadata, tolerations, "[{name: 'app', image: 'x'}]");
    }

    private static ObjectNode pod(String metadata, String tolerations, String containers) {
        ObjectNode pod = object("{apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}}");
        ((ObjectNode) pod.get("metadata")).setAll(object(metadata));
        pod.set("spec", object("{tolerations: %s, containers: %s}".formatted(tolerations, containers)));
        return pod;
    }
}
