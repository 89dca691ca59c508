package dev.kumo.apimachinery.patch;

import static dev.kumo.apimachinery.TestJson.KUBERNETES;
import static dev.kumo.apimachinery.TestJson.MERGE_ITEM;
import static dev.kumo.apimachinery.TestJson.json;
import static dev.kumo.apimachinery.TestJson.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Cases on {@code test.kumo.dev/v1 MergeItem}, whose fields cover every patch strategy: {@code mergingList}
 * (merge by name), {@code nonMergingList}, {@code mergingIntList} (merge), {@code nonMergingIntList},
 * {@code simpleMap}, {@code replacingItem} (replace), {@code retainKeysMap} (retainKeys) and
 * {@code retainKeysMergingList} (merge,retainKeys by name). They follow the scenarios of Kubernetes'
 * strategic merge patch tests.
 */
class StrategicMergePatchTest {

    private final StrategicMergePatch mergeItems = new StrategicMergePatch(MERGE_ITEM);
    private final StrategicMergePatch kubernetes = new StrategicMergePatch(KUBERNETES);

    static Stream<Arguments> mergeItemCases() {
        return Stream.of(
                Arguments.of("add a field", "{name: '1'}", "{value: '1'}", "{name: '1', value: '1'}"),
                Arguments.of("change a field", "{name: '1', value: 'a'}", "{value: 'b'}", "{name: '1', value: 'b'}"),
                Arguments.of("null deletes a field", "{name: '1', value: '1'}", "{name: null, value: '2'}",
                        "{value: '2'}"),
                Arguments.of("null for an absent field is dropped", "{name: '1'}", "{other: null}", "{name: '1'}"),
                Arguments.of("delete a key of a nested map", "{simpleMap: {key1: '1', key2: '1'}}",
                        "{simpleMap: {key2: null}}", "{simpleMap: {key1: '1'}}"),
                Arguments.of("$patch: delete empties a nested map", "{simpleMap: {key1: '1', key2: '1'}}",
                        "{simpleMap: {'$patch': 'delete'}}", "{simpleMap: {}}"),
                Arguments.of("$patch: delete on an absent map adds nothing", "{name: '1'}",
                        "{simpleMap: {'$patch': 'delete'}}", "{name: '1'}"),
                Arguments.of("$patch: replace replaces a nested map", "{simpleMap: {key1: '1', key2: '1'}}",
                        "{simpleMap: {'$patch': 'replace', key3: '3'}}", "{simpleMap: {key3: '3'}}"),
                Arguments.of("$patch: replace drops the nulls it carries", "{simpleMap: {key1: '1'}}",
                        "{simpleMap: {'$patch': 'replace', key2: null, key3: '3'}}", "{simpleMap: {key3: '3'}}"),
                Arguments.of("$patch: merge is the default", "{simpleMap: {key1: '1'}}",
                        "{simpleMap: {'$patch': 'merge', key2: '2'}}", "{simpleMap: {key1: '1', key2: '2'}}"),
                Arguments.of("a replace strategy replaces the map", "{replacingItem: {name: 'x', value: 'y'}}",
                        "{replacingItem: {value: 'z'}}", "{replacingItem: {value: 'z'}}"),
                Arguments.of("scalars of a merging list are unioned", "{mergingIntList: [1, 2]}",
                        "{mergingIntList: [2, 3]}", "{mergingIntList: [1, 2, 3]}"),
                Arguments.of("a merging int list takes the patch's order", "{mergingIntList: [1, 2, 3]}",
                        "{mergingIntList: [3, 1, 2]}", "{mergingIntList: [3, 1, 2]}"),
                Arguments.of("server-only scalars stay before patch scalars they preceded",
                        "{mergingIntList: [1, 2, 3]}", "{mergingIntList: [3, 1]}", "{mergingIntList: [2, 3, 1]}"),
                Arguments.of("a list without strategy is replaced", "{nonMergingIntList: [1, 2]}",
                        "{nonMergingIntList: [2, 3]}", "{nonMergingIntList: [2, 3]}"),
                Arguments.of("a list of maps without strategy is replaced",
                        "{nonMergingList: [{name: '1', value: 'a'}]}", "{nonMergingList: [{name: '1'}]}",
                        "{nonMergingList: [{name: '1'}]}"),
                Arguments.of("items merge by key, new items go first",
                        "{mergingList: [{name: '1', value: 'a'}]}",
                        "{mergingList: [{name: '2', value: 'b'}, {name: '1', other: 'x'}]}",
                        "{mergingList: [{name: '2', value: 'b'}, {name: '1', value: 'a', other: 'x'}]}"),
                Arguments.of("a new item comes before the server's items", "{mergingList: [{name: '1'}]}",
                        "{mergingList: [{name: '2'}]}", "{mergingList: [{name: '2'}, {name: '1'}]}"),
                Arguments.of("the patch's order wins for the items it names",
                        "{mergingList: [{name: '1'}, {name: '2', value: 'b'}, {name: '3'}]}",
                        "{mergingList: [{name: '3', value: 'c'}, {name: '1', value: 'a'}, {name: '2', other: 'x'}]}",
                        "{mergingList: [{name: '3', value: 'c'}, {name: '1', value: 'a'},"
                                + " {name: '2', value: 'b', other: 'x'}]}"),
                Arguments.of("server-only items keep their place before later patch items",
                        "{mergingList: [{name: '1'}, {name: '2', value: 'b'}, {name: '3'}]}",
                        "{mergingList: [{name: '3', value: 'c'}, {name: '1', value: 'a'}]}",
                        "{mergingList: [{name: '2', value: 'b'}, {name: '3', value: 'c'}, {name: '1', value: 'a'}]}"),
                Arguments.of("null deletes a field of a merged item", "{mergingList: [{name: '1', value: 'a'}]}",
                        "{mergingList: [{name: '1', value: null}]}", "{mergingList: [{name: '1'}]}"),
                Arguments.of("nulls in a new item are dropped", "{mergingList: []}",
                        "{mergingList: [{name: '1', value: null, other: 'x'}]}",
                        "{mergingList: [{name: '1', other: 'x'}]}"),
                Arguments.of("$patch: delete removes items with that key, duplicates too",
                        "{mergingList: [{name: '1'}, {name: '1'}, {name: '2', value: 'a'}, {name: '3'}, {name: '3'}]}",
                        "{mergingList: [{name: '1', '$patch': 'delete'}, {name: '3', '$patch': 'delete'}]}",
                        "{mergingList: [{name: '2', value: 'a'}]}"),
                Arguments.of("deleting every item leaves an empty list", "{mergingList: [{name: '1'}, {name: '2'}]}",
                        "{mergingList: [{name: '1', '$patch': 'delete'}, {name: '2', '$patch': 'delete'}]}",
                        "{mergingList: []}"),
                Arguments.of("$patch: replace alone empties the list", "{mergingList: [{name: '1'}, {name: '2'}]}",
                        "{mergingList: [{'$patch': 'replace'}]}", "{mergingList: []}"),
                Arguments.of("$patch: replace keeps the patch's items",
                        "{mergingList: [{name: '1', value: 'a'}, {name: '2'}]}",
                        "{mergingList: [{name: '3'}, {'$patch': 'replace'}, {name: '1'}]}",
                        "{mergingList: [{name: '3'}, {name: '1'}]}"),
                Arguments.of("empty merging lists stay empty", "{mergingList: []}", "{mergingList: []}",
                        "{mergingList: []}"),
                Arguments.of("an empty patch list leaves a merging list alone", "{mergingList: [{name: '1'}]}",
                        "{mergingList: []}", "{mergingList: [{name: '1'}]}"),
                Arguments.of("directives in a new list are processed", "{name: 'hi'}",
                        "{mergingList: [{name: 'hello'}, {'$patch': 'delete', name: 'doesntexist'}]}",
                        "{name: 'hi', mergingList: [{name: 'hello'}]}"),
                Arguments.of("$deleteFromPrimitiveList removes values",
                        "{mergingIntList: [1, 2, 3]}", "{'$deleteFromPrimitiveList/mergingIntList': [2]}",
                        "{mergingIntList: [1, 3]}"),
                Arguments.of("$deleteFromPrimitiveList also works on lists without strategy",
                        "{nonMergingIntList: [1, 2, 3]}", "{'$deleteFromPrimitiveList/nonMergingIntList': [2]}",
                        "{nonMergingIntList: [1, 3]}"),
                Arguments.of("$deleteFromPrimitiveList of a missing value changes nothing",
                        "{mergingIntList: [1, 2]}", "{'$deleteFromPrimitiveList/mergingIntList': [3]}",
                        "{mergingIntList: [1, 2]}"),
                Arguments.of("$deleteFromPrimitiveList leaves a null list alone", "{mergingIntList: null}",
                        "{'$deleteFromPrimitiveList/mergingIntList': [3]}", "{mergingIntList: null}"),
                Arguments.of("$deleteFromPrimitiveList does not create a list", "{foo: ['bar']}",
                        "{'$deleteFromPrimitiveList/mergingIntList': [3]}", "{foo: ['bar']}"),
                Arguments.of("$setElementOrder orders a scalar list and deletions apply after",
                        "{mergingIntList: [1, 2, 3, 4]}",
                        "{'$setElementOrder/mergingIntList': [1, 2], '$deleteFromPrimitiveList/mergingIntList': [3]}",
                        "{mergingIntList: [1, 2, 4]}"),
                Arguments.of("$setElementOrder with additions and deletions", "{mergingIntList: [1, 2, 3, 4]}",
                        "{'$setElementOrder/mergingIntList': [1, 2, 4],"
                                + " '$deleteFromPrimitiveList/mergingIntList': [3], mergingIntList: [4]}",
                        "{mergingIntList: [1, 2, 4]}"),
                Arguments.of("$setElementOrder may name items the list lacks", "{mergingIntList: [1, 3]}",
                        "{'$setElementOrder/mergingIntList': [3, 2, 1]}", "{mergingIntList: [3, 1]}"),
                Arguments.of("$setElementOrder places new and server items",
                        "{mergingList: [{name: '1', other: 'a'}, {name: '2', value: '2', other: 'b'}]}",
                        "{'$setElementOrder/mergingList': [{name: '4'}, {name: '1'}, {name: '2'}, {name: '3'}],"
                                + " mergingList: [{name: '4', value: '4'}, {name: '3', value: '3'}]}",
                        "{mergingList: [{name: '4', value: '4'}, {name: '1', other: 'a'},"
                                + " {name: '2', value: '2', other: 'b'}, {name: '3', value: '3'}]}"),
                Arguments.of("$setElementOrder for items missing from the list",
                        "{mergingList: [{name: '1'}, {name: '3'}]}",
                        "{'$setElementOrder/mergingList': [{name: '3'}, {name: '2'}, {name: '1'}],"
                                + " mergingList: [{name: '3', value: '3'}, {name: '1', value: '1'}]}",
                        "{mergingList: [{name: '3', value: '3'}, {name: '1', value: '1'}]}"),
                Arguments.of("delete in one list, reorder another",
                        "{mergingList: [{name: 'a', value: 'a'}, {name: 'b', value: 'b'}],"
                                + " retainKeysMergingList: [{name: 'c'}, {name: 'd'}]}",
                        "{'$setElementOrder/mergingList': [{name: 'b'}],"
                                + " '$setElementOrder/retainKeysMergingList': [{name: 'd'}, {name: 'c'}],"
                                + " mergingList: [{'$patch': 'delete', name: 'a'}]}",
                        "{mergingList: [{name: 'b', value: 'b'}], retainKeysMergingList: [{name: 'd'}, {name: 'c'}]}"),
                Arguments.of("$retainKeys clears the fields it does not list",
                        "{retainKeysMap: {name: 'foo', value: 'a', other: 'x'}}",
                        "{retainKeysMap: {'$retainKeys': ['name', 'value'], value: 'b'}}",
                        "{retainKeysMap: {name: 'foo', value: 'b'}}"),
                Arguments.of("a retainKeys map merges normally without the directive",
                        "{retainKeysMap: {name: 'foo', value: 'a'}}", "{retainKeysMap: {value: 'b'}}",
                        "{retainKeysMap: {name: 'foo', value: 'b'}}"),
                Arguments.of("$retainKeys in list items", "{retainKeysMergingList: [{name: 'bar'},"
                                + " {name: 'foo', value: 'modified', other: 'x'}]}",
                        "{'$setElementOrder/retainKeysMergingList': [{name: 'bar'}, {name: 'foo'}],"
                                + " retainKeysMergingList: [{'$retainKeys': ['name', 'value'], name: 'foo', value: 'new'}]}",
                        "{retainKeysMergingList: [{name: 'bar'}, {name: 'foo', value: 'new'}]}"),
                Arguments.of("$retainKeys ignores fields the patch deletes", "{retainKeysMergingList:"
                                + " [{name: 'bar'}, {name: 'foo', value: 'a', other: 'x'}]}",
                        "{retainKeysMergingList: [{'$retainKeys': ['name'], name: 'foo', value: null}]}",
                        "{retainKeysMergingList: [{name: 'bar'}, {name: 'foo'}]}"),
                Arguments.of("a map replaces a scalar", "{value: 'x'}", "{value: {a: 1, b: null}}",
                        "{value: {a: 1}}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mergeItemCases")
    void patchesMergeItems(String name, String original, String patch, String expected) {
        ObjectNode before = mergeItem(original);

        ObjectNode result = mergeItems.apply(before, json(patch));

        assertThat(result).isEqualTo(mergeItem(expected));
        assertThat(before).as("the original is not modified").isEqualTo(mergeItem(original));
    }

    static Stream<Arguments> mergeItemErrors() {
        return Stream.of(
                Arguments.of("{mergingList: [{name: '1', value: 'a'}]}", "{mergingList: [{value: 'b'}]}",
                        MalformedPatchException.class, "does not contain declared merge key: name"),
                Arguments.of("{mergingList: [{name: '1'}]}", "{mergingList: [{value: 'b', '$patch': 'delete'}]}",
                        MalformedPatchException.class, "does not contain declared merge key: name"),
                Arguments.of("{mergingList: [{name: '1'}, {name: '3'}, {name: '2'}]}",
                        "{'$setElementOrder/mergingList': [{name: '1'}, {name: '2'}, {name: '3'}],"
                                + " mergingList: [{name: '3', value: '3'}, {name: '1', value: '1'}]}",
                        MalformedPatchException.class, "doesn't match $setElementOrder list"),
                Arguments.of("{mergingIntList: [1, 3, 2]}",
                        "{'$setElementOrder/mergingIntList': [1, 2, 3], mergingIntList: [3, 1]}",
                        MalformedPatchException.class, "doesn't match $setElementOrder list"),
                Arguments.of("{simpleMap: {a: '1'}}", "{simpleMap: {'$patch': 'explode'}}",
                        MalformedPatchException.class, "unknown patch type: \"explode\""),
                Arguments.of("{mergingList: [{name: '1'}]}", "{mergingList: [{name: '1', '$patch': 'shred'}]}",
                        MalformedPatchException.class, "unknown patch type: \"shred\""),
                Arguments.of("{retainKeysMap: {name: 'a'}}", "{retainKeysMap: {'$retainKeys': ['name'], value: 'b'}}",
                        MalformedPatchException.class, "field \"value\" is set by the patch but missing from $retainKeys"),
                Arguments.of("{retainKeysMap: {name: 'a'}}", "{retainKeysMap: {'$retainKeys': 'name'}}",
                        MalformedPatchException.class, "$retainKeys must be a list"),
                Arguments.of("{mergingIntList: [1]}", "{'$deleteFromPrimitiveList/mergingIntList': 1}",
                        MalformedPatchException.class, "invalid patch format of primitive list"),
                Arguments.of("{mergingIntList: [1]}", "{'$deleteFromPrimitiveList/mergingIntList': [{a: 1}]}",
                        MalformedPatchException.class, "must be a list of scalars"),
                Arguments.of("{mergingIntList: [1]}", "{'$setElementOrder/': [1]}",
                        MalformedPatchException.class, "does not name a field"),
                Arguments.of("{mergingIntList: [1]}", "{'$setElementOrder/mergingIntList': {a: 1}}",
                        MalformedPatchException.class, "must be a list"),
                Arguments.of("{mergingIntList: [1, 2]}", "{mergingIntList: ['3']}",
                        PatchApplicationException.class, "list element types are not identical"),
                Arguments.of("{mergingIntList: [[1]]}", "{mergingIntList: [[2]]}",
                        PatchApplicationException.class, "lists of lists cannot be merged"),
                Arguments.of("{name: 'a'}", "[{name: 'b'}]",
                        MalformedPatchException.class, "must be a JSON object"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("mergeItemErrors")
    void rejectsPatchesThatDoNotApply(String original, String patch, Class<? extends PatchException> type,
                                      String message) {
        assertThatThrownBy(() -> mergeItems.apply(mergeItem(original), json(patch)))
                .isInstanceOf(type)
                .hasMessageContaining(message);
    }

    @Test
    void topLevelDirectivesReplaceOrDeleteTheWholeObject() {
        ObjectNode original = mergeItem("{name: '1', value: '1'}");

        assertThat(mergeItems.apply(original, json("{'$patch': 'replace', other: 'a'}"))).isEqualTo(json("{other: 'a'}"));
        assertThat(mergeItems.apply(original, json("{'$patch': 'replace'}"))).isEqualTo(json("{}"));
        assertThat(mergeItems.apply(original, json("{'$patch': 'delete'}"))).isEqualTo(json("{}"));
    }

    @Test
    void addsAContainerAsTheDocumentationShows() {
        ObjectNode deployment = deployment();

        ObjectNode patched = kubernetes.apply(deployment, json(
                "{spec: {template: {spec: {containers: [{name: 'patch-demo-ctr-2', image: 'redis'}]}}}}"));

        assertThat(patched.at("/spec/template/spec/containers")).isEqualTo(json(
                "[{name: 'patch-demo-ctr-2', image: 'redis'}, {name: 'patch-demo-ctr', image: 'nginx'}]"));
        assertThat(patched.at("/spec/template/spec/tolerations")).isEqualTo(deployment.at("/spec/template/spec/tolerations"));
    }

    @Test
    void replacesTolerationsWhichHaveNoPatchStrategy() {
        ObjectNode patched = kubernetes.apply(deployment(), json(
                "{spec: {template: {spec: {tolerations: [{effect: 'NoSchedule', key: 'disktype', value: 'ssd'}]}}}}"));

        assertThat(patched.at("/spec/template/spec/tolerations")).isEqualTo(json(
                "[{effect: 'NoSchedule', key: 'disktype', value: 'ssd'}]"));
    }

    @Test
    void retainKeysClearsTheRollingUpdateWhenSwitchingToRecreate() {
        ObjectNode deployment = deployment();

        ObjectNode merged = kubernetes.apply(deployment, json("{spec: {strategy: {type: 'Recreate'}}}"));
        ObjectNode retained = kubernetes.apply(deployment,
                json("{spec: {strategy: {'$retainKeys': ['type'], type: 'Recreate'}}}"));

        assertThat(merged.at("/spec/strategy")).isEqualTo(json(
                "{type: 'Recreate', rollingUpdate: {maxSurge: '30%'}}"));
        assertThat(retained.at("/spec/strategy")).isEqualTo(json("{type: 'Recreate'}"));
    }

    @Test
    void mergesNestedListsOfAContainerByTheirKeys() {
        ObjectNode pod = object("""
                {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p'}, spec: {containers: [
                  {name: 'app', image: 'app:1', env: [{name: 'A', value: '1'}, {name: 'B', value: '2'}],
                   ports: [{containerPort: 80, protocol: 'TCP'}],
                   volumeMounts: [{name: 'data', mountPath: '/data'}]}]}}""");

        ObjectNode patched = kubernetes.apply(pod, json("""
                {spec: {containers: [{name: 'app', image: 'app:2', env: [{name: 'B', value: '3'}],
                   ports: [{containerPort: 80, name: 'http'}],
                   volumeMounts: [{mountPath: '/data', readOnly: true}]}]}}"""));

        assertThat(patched.at("/spec/containers")).isEqualTo(json("""
                [{name: 'app', image: 'app:2', env: [{name: 'A', value: '1'}, {name: 'B', value: '3'}],
                  ports: [{containerPort: 80, protocol: 'TCP', name: 'http'}],
                  volumeMounts: [{name: 'data', mountPath: '/data', readOnly: true}]}]"""));
    }

    @Test
    void mergesMetadataListsAndDeletesLabels() {
        ObjectNode pod = object("""
                {apiVersion: 'v1', kind: 'Pod', metadata: {name: 'p', labels: {app: 'a', tier: 'b'},
                  finalizers: ['example.com/a'],
                  ownerReferences: [{apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u1'}]}}""");

        ObjectNode patched = kubernetes.apply(pod, json("""
                {metadata: {labels: {tier: null}, finalizers: ['example.com/b', 'example.com/a'],
                  ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u2', controller: true}]}}"""));

        assertThat(patched.get("metadata")).isEqualTo(json("""
                {name: 'p', labels: {app: 'a'}, finalizers: ['example.com/b', 'example.com/a'],
                 ownerReferences: [{apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'r', uid: 'u2', controller: true},
                                   {apiVersion: 'v1', kind: 'ConfigMap', name: 'c', uid: 'u1'}]}"""));
    }

    @Test
    void removesAFinalizerWithTheDeletionDirective() {
        ObjectNode pod = object("{apiVersion: 'v1', kind: 'Pod', metadata: {finalizers: ['a', 'b', 'c']}}");

        ObjectNode patched = kubernetes.apply(pod, json("{metadata: {'$deleteFromPrimitiveList/finalizers': ['b']}}"));

        assertThat(patched.at("/metadata/finalizers")).isEqualTo(json("['a', 'c']"));
    }

    @Test
    void retainKeysInsideAVolumeSwitchesItsSource() {
        ObjectNode pod = object("""
                {apiVersion: 'v1', kind: 'Pod', spec: {volumes: [
                  {name: 'cfg', configMap: {name: 'settings'}}, {name: 'tmp', emptyDir: {}}]}}""");

        ObjectNode patched = kubernetes.apply(pod, json("""
                {spec: {volumes: [{name: 'cfg', '$retainKeys': ['name', 'secret'], secret: {secretName: 's'}}]}}"""));

        assertThat(patched.at("/spec/volumes")).isEqualTo(json(
                "[{name: 'cfg', secret: {secretName: 's'}}, {name: 'tmp', emptyDir: {}}]"));
    }

    @Test
    void replacesContainersWithTheReplaceDirective() {
        ObjectNode patched = kubernetes.apply(deployment(), json("""
                {spec: {template: {spec: {containers: [{'$patch': 'replace'}, {name: 'only', image: 'busybox'}]}}}}"""));

        assertThat(patched.at("/spec/template/spec/containers")).isEqualTo(json("[{name: 'only', image: 'busybox'}]"));
    }

    @Test
    void listsOfUnknownKindsAreReplaced() {
        ObjectNode widget = object("{apiVersion: 'example.com/v1', kind: 'Widget', spec: {items: [{name: 'a'}]},"
                + " metadata: {finalizers: ['x']}}");

        ObjectNode patched = kubernetes.apply(widget, json(
                "{spec: {items: [{name: 'b'}], extra: {a: 1}}, metadata: {finalizers: ['y']}}"));

        assertThat(patched).isEqualTo(json("""
                {apiVersion: 'example.com/v1', kind: 'Widget', spec: {items: [{name: 'b'}], extra: {a: 1}},
                 metadata: {finalizers: ['y', 'x']}}"""));
    }

    private static ObjectNode mergeItem(String fields) {
        ObjectNode item = object("{apiVersion: 'test.kumo.dev/v1', kind: 'MergeItem'}");
        item.setAll(object(fields));
        return item;
    }

    private static ObjectNode deployment() {
        return object("""
                {apiVersion: 'apps/v1', kind: 'Deployment', metadata: {name: 'patch-demo'},
                 spec: {replicas: 2, selector: {matchLabels: {app: 'nginx'}},
                   strategy: {type: 'RollingUpdate', rollingUpdate: {maxSurge: '30%'}},
                   template: {metadata: {labels: {app: 'nginx'}},
                     spec: {containers: [{name: 'patch-demo-ctr', image: 'nginx'}],
                            tolerations: [{effect: 'NoSchedule', key: 'dedicated', value: 'test-team'}]}}}}""");
    }
}
