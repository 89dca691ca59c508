package dev.kumo.apimachinery.patch;

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

class JsonPatchTest {

    private final JsonPatch patcher = new JsonPatch();

    static Stream<Arguments> successes() {
        return Stream.of(
                Arguments.of("add a member", "{foo: 'bar'}",
                        "[{op: 'add', path: '/baz', value: 'qux'}]", "{foo: 'bar', baz: 'qux'}"),
                Arguments.of("add replaces an existing member", "{foo: 'bar'}",
                        "[{op: 'add', path: '/foo', value: 1}]", "{foo: 1}"),
                Arguments.of("add inserts into an array", "{foo: ['bar', 'baz']}",
                        "[{op: 'add', path: '/foo/1', value: 'qux'}]", "{foo: ['bar', 'qux', 'baz']}"),
                Arguments.of("add at the end index", "{foo: ['bar']}",
                        "[{op: 'add', path: '/foo/1', value: 'qux'}]", "{foo: ['bar', 'qux']}"),
                Arguments.of("add with - appends", "{foo: ['bar']}",
                        "[{op: 'add', path: '/foo/-', value: ['abc', 'def']}]", "{foo: ['bar', ['abc', 'def']]}"),
                Arguments.of("add a nested object", "{foo: 'bar'}",
                        "[{op: 'add', path: '/child', value: {grandchild: {}}}]", "{foo: 'bar', child: {grandchild: {}}}"),
                Arguments.of("add an annotation with a slash", "{metadata: {annotations: {}}}",
                        "[{op: 'add', path: '/metadata/annotations/example.com~1team', value: 'a'}]",
                        "{metadata: {annotations: {'example.com/team': 'a'}}}"),
                Arguments.of("add null", "{}", "[{op: 'add', path: '/a', value: null}]", "{a: null}"),
                Arguments.of("unknown members of an operation are ignored", "{foo: 'bar'}",
                        "[{op: 'add', path: '/baz', value: 'qux', xyz: 123}]", "{foo: 'bar', baz: 'qux'}"),
                Arguments.of("remove a member", "{baz: 'qux', foo: 'bar'}",
                        "[{op: 'remove', path: '/baz'}]", "{foo: 'bar'}"),
                Arguments.of("remove an item", "{foo: ['bar', 'qux', 'baz']}",
                        "[{op: 'remove', path: '/foo/1'}]", "{foo: ['bar', 'baz']}"),
                Arguments.of("replace a value", "{baz: 'qux', foo: 'bar'}",
                        "[{op: 'replace', path: '/baz', value: 'boo'}]", "{baz: 'boo', foo: 'bar'}"),
                Arguments.of("replace an item", "{a: [1, 2]}",
                        "[{op: 'replace', path: '/a/0', value: 9}]", "{a: [9, 2]}"),
                Arguments.of("replace the whole document", "{a: 1}",
                        "[{op: 'replace', path: '', value: {b: 2}}]", "{b: 2}"),
                Arguments.of("move a value", "{foo: {bar: 'baz', waldo: 'fred'}, qux: {corge: 'grault'}}",
                        "[{op: 'move', from: '/foo/waldo', path: '/qux/thud'}]",
                        "{foo: {bar: 'baz'}, qux: {corge: 'grault', thud: 'fred'}}"),
                Arguments.of("move an item", "{foo: ['all', 'grass', 'cows', 'eat']}",
                        "[{op: 'move', from: '/foo/1', path: '/foo/3'}]", "{foo: ['all', 'cows', 'eat', 'grass']}"),
                Arguments.of("move onto itself", "{a: 1}",
                        "[{op: 'move', from: '/a', path: '/a'}]", "{a: 1}"),
                Arguments.of("copy a value", "{a: {b: [1]}}",
                        "[{op: 'copy', from: '/a', path: '/c'}, {op: 'add', path: '/c/b/-', value: 2}]",
                        "{a: {b: [1]}, c: {b: [1, 2]}}"),
                Arguments.of("test succeeds", "{baz: 'qux', foo: ['a', 2, 'c']}",
                        "[{op: 'test', path: '/baz', value: 'qux'}, {op: 'test', path: '/foo/1', value: 2}]",
                        "{baz: 'qux', foo: ['a', 2, 'c']}"),
                Arguments.of("test compares numbers by value", "{n: 1, o: {x: [1.0]}}",
                        "[{op: 'test', path: '/n', value: 1.0}, {op: 'test', path: '/o', value: {x: [1]}}]",
                        "{n: 1, o: {x: [1.0]}}"),
                Arguments.of("~01 names the member ~1", "{'/': 9, '~1': 10}",
                        "[{op: 'test', path: '/~01', value: 10}, {op: 'remove', path: '/~1'}]", "{'~1': 10}"),
                Arguments.of("operations apply in order", "{}",
                        "[{op: 'add', path: '/a', value: []}, {op: 'add', path: '/a/0', value: 'x'},"
                                + " {op: 'replace', path: '/a/0', value: 'y'}]", "{a: ['y']}"),
                Arguments.of("an empty patch changes nothing", "{a: 1}", "[]", "{a: 1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("successes")
    void applies(String name, String original, String patch, String expected) {
        ObjectNode before = object(original);

        ObjectNode result = patcher.apply(before, json(patch));

        assertThat(result).isEqualTo(json(expected));
        assertThat(before).as("the original is not modified").isEqualTo(json(original));
    }

    static Stream<Arguments> applicationFailures() {
        return Stream.of(
                Arguments.of("{foo: 'bar'}", "[{op: 'add', path: '/baz/bat', value: 'qux'}]",
                        "operation 0 (add) failed: path \"/baz\" does not exist"),
                Arguments.of("{a: [1]}", "[{op: 'add', path: '/a/2', value: 3}]",
                        "index 2 is out of bounds for an array of 1 items"),
                Arguments.of("{a: [1]}", "[{op: 'add', path: '/a/01', value: 3}]", "\"01\" is not an array index"),
                Arguments.of("{a: 1}", "[{op: 'add', path: '/a/b', value: 3}]", "\"/a\" is a number, not an object"),
                Arguments.of("{a: 1}", "[{op: 'remove', path: '/b'}]", "path \"/b\" does not exist"),
                Arguments.of("{a: [1]}", "[{op: 'remove', path: '/a/1'}]", "path \"/a/1\" does not exist"),
                Arguments.of("{a: 1}", "[{op: 'remove', path: ''}]", "cannot remove the whole document"),
                Arguments.of("{a: 1}", "[{op: 'replace', path: '/b', value: 2}]", "path \"/b\" does not exist"),
                Arguments.of("{a: 1}", "[{op: 'move', from: '/b', path: '/c'}]", "path \"/b\" does not exist"),
                Arguments.of("{a: 1}", "[{op: 'copy', from: '/b', path: '/c'}]", "path \"/b\" does not exist"),
                Arguments.of("{baz: 'qux'}", "[{op: 'test', path: '/baz', value: 'bar'}]",
                        "operation 0 (test) failed: test failed: value at \"/baz\" is \"qux\", expected \"bar\""),
                Arguments.of("{'/': 9, '~1': 10}", "[{op: 'test', path: '/~01', value: '10'}]", "test failed"),
                Arguments.of("{a: 1}", "[{op: 'test', path: '/b', value: null}]", "path \"/b\" does not exist"),
                Arguments.of("{a: 1}", "[{op: 'add', path: '/b', value: 2}, {op: 'test', path: '/a', value: 2}]",
                        "operation 1 (test) failed"),
                Arguments.of("{a: 1}", "[{op: 'replace', path: '', value: [1]}]",
                        "the patched document must be a JSON object, not array"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("applicationFailures")
    void failsWhenThePatchDoesNotApply(String original, String patch, String message) {
        ObjectNode before = object(original);

        assertThatThrownBy(() -> patcher.apply(before, json(patch)))
                .isInstanceOf(PatchApplicationException.class)
                .hasMessageContaining(message);
        assertThat(before).isEqualTo(json(original));
    }

    static Stream<Arguments> malformedPatches() {
        return Stream.of(
                Arguments.of("{op: 'add', path: '/a', value: 1}", "must be a JSON array"),
                Arguments.of("['add']", "operation 0: an operation must be a JSON object"),
                Arguments.of("[{path: '/a'}]", "operation 0: missing \"op\""),
                Arguments.of("[{op: 'frobnicate', path: '/a'}]", "unknown op \"frobnicate\""),
                Arguments.of("[{op: 'add', value: 1}]", "missing \"path\""),
                Arguments.of("[{op: 'add', path: '/a'}]", "missing \"value\""),
                Arguments.of("[{op: 'replace', path: '/a'}]", "missing \"value\""),
                Arguments.of("[{op: 'test', path: '/a'}]", "missing \"value\""),
                Arguments.of("[{op: 'move', path: '/a'}]", "missing \"from\""),
                Arguments.of("[{op: 'copy', from: 1, path: '/a'}]", "missing \"from\""),
                Arguments.of("[{op: 'remove', path: 'a'}]", "invalid JSON Pointer \"a\""),
                Arguments.of("[{op: 'remove', path: '/a~x'}]", "'~' must be followed by '0' or '1'"),
                Arguments.of("[{op: 'move', from: '/a', path: '/a/b'}]", "cannot move \"/a\" into its own child"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPatches")
    void rejectsMalformedPatches(String patch, String message) {
        assertThatThrownBy(() -> patcher.apply(object("{a: {b: 1}}"), json(patch)))
                .isInstanceOf(MalformedPatchException.class)
                .hasMessageContaining(message);
    }

    @Test
    void validatesTheWholePatchBeforeApplyingAnything() {
        assertThatThrownBy(() -> patcher.apply(object("{}"), json(
                "[{op: 'add', path: '/a', value: 1}, {op: 'add', path: 'bad', value: 2}]")))
                .isInstanceOf(MalformedPatchException.class)
                .hasMessageContaining("operation 1");
    }

    @Test
    void parsesOperationsIntoRecords() {
        assertThat(JsonPatch.parse(json("[{op: 'move', from: '/a', path: '/b'}]")))
                .containsExactly(new JsonPatchOperation.Move(JsonPointer.parse("/a"), JsonPointer.parse("/b")));
    }
}
