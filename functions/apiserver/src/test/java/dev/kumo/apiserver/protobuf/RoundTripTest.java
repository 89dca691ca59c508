package dev.kumo.apiserver.protobuf;

import static dev.kumo.apiserver.protobuf.Fixtures.PROTOBUF;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JSON to protobuf and back gives the same JSON for a representative object of each served group: every field
 * kind (maps, lists, nested and inline messages, []byte, Time, MicroTime, Quantity, IntOrString, RawExtension,
 * FieldsV1) and zero values that Go keeps (pointers, fields without omitempty).
 */
class RoundTripTest {
    @ParameterizedTest
    @ValueSource(strings = {"pod", "service", "secret", "deployment", "lease", "event", "core-event", "status",
            "configmap-list", "delete-options", "binding", "scale", "endpoint-slice", "controller-revision", "namespace",
            "resource-quota", "limit-range"})
    void jsonToProtobufAndBackIsTheSameObject(String name) {
        ObjectNode object = Fixtures.object(name);

        byte[] body = PROTOBUF.encode(object.deepCopy());
        ObjectNode decoded = PROTOBUF.decode(body);

        assertThat(decoded).isEqualTo(object);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pod", "deployment", "event", "configmap-list"})
    void encodingIsDeterministic(String name) {
        ObjectNode object = Fixtures.object(name);

        assertThat(PROTOBUF.encode(object)).isEqualTo(PROTOBUF.encode(PROTOBUF.decode(PROTOBUF.encode(object))));
    }
}
