package dev.kumo.apimachinery.patch;

import static dev.kumo.apimachinery.TestJson.json;
import static dev.kumo.apimachinery.TestJson.object;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonMergePatchTest {

    private final JsonMergePatch patcher = new JsonMergePatch();

    /** The cases of RFC 7386 appendix A whose target and patch are objects, and a few Kubernetes-shaped ones. */
    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of("{a: 'b'}", "{a: 'c'}", "{a: 'c'}"),
                Arguments.of("{a: 'b'}", "{b: 'c'}", "{a: 'b', b: 'c'}"),
                Arguments.of("{a: 'b'}", "{a: null}", "{}"),
                Arguments.of("{a: 'b', b: 'c'}", "{a: null}", "{b: 'c'}"),
                Arguments.of("{a: ['b']}", "{a: 'c'}", "{a: 'c'}"),
                Arguments.of("{a: 'c'}", "{a: ['b']}", "{a: ['b']}"),
                Arguments.of("{a: {b: 'c'}}", "{a: {b: 'd', c: null}}", "{a: {b: 'd'}}"),
                Arguments.of("{a: [{b: 'c'}]}", "{a: [1]}", "{a: [1]}"),
                Arguments.of("{e: null}", "{a: 1}", "{e: null, a: 1}"),
                Arguments.of("{}", "{a: {bb: {ccc: null}}}", "{a: {bb: {}}}"),
                Arguments.of("{a: 'x'}", "{a: {b: null, c: 1}}", "{a: {c: 1}}"),
                Arguments.of("{metadata: {labels: {app: 'web', tier: 'fe'}}}",
                        "{metadata: {labels: {tier: null, env: 'prod'}}}",
                        "{metadata: {labels: {app: 'web', env: 'prod'}}}"),
                Arguments.of("{spec: {containers: [{name: 'a', image: 'x'}, {name: 'b'}]}}",
                        "{spec: {containers: [{name: 'a', image: 'y'}]}}",
                        "{spec: {containers: [{name: 'a', image: 'y'}]}}"),
                Arguments.of("{a: 1}", "{}", "{a: 1}"));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("cases")
    void merges(String original, String patch, String expected) {
        ObjectNode before = object(original);

        assertThat(patcher.apply(before, json(patch))).isEqualTo(json(expected));
        assertThat(before).isEqualTo(json(original));
    }

    @ParameterizedTest
    @ValueSource(strings = {"['c']", "null", "'text'", "1"})
    void rejectsPatchesThatAreNotObjects(String patch) {
        assertThatThrownBy(() -> patcher.apply(object("{a: 'b'}"), json(patch)))
                .isInstanceOf(MalformedPatchException.class)
                .hasMessageContaining("must be a JSON object");
    }
}
