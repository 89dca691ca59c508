package dev.kumo.apiserver.protobuf;

import static dev.kumo.apiserver.protobuf.Fixtures.PROTOBUF;
import static dev.kumo.apiserver.protobuf.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Bad input gives a ProtobufException that says what is wrong and where. */
class MalformedInputTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] CONFIG_MAP = PROTOBUF.encode(json("""
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}}
            """));

    @Test
    void jsonIsNotProtobuf() {
        assertThatThrownBy(() -> PROTOBUF.decode("{\"kind\":\"ConfigMap\"}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ProtobufException.class).hasMessageContaining("does not start with k8s\\0");
    }

    /**
     * Protobuf has no end marker, so a cut between the envelope's fields (after typeMeta, raw, contentEncoding)
     * reads as a shorter message; a cut anywhere else must be an error.
     */
    @Test
    void everyCutInsideAFieldIsRejected() {
        Set<Integer> fieldEnds = Set.of(4 + 17, 4 + 17 + 15, 4 + 17 + 15 + 2);
        for (int length = 4; length < CONFIG_MAP.length; length++) {
            if (fieldEnds.contains(length)) {
                continue;
            }
            byte[] truncated = Arrays.copyOf(CONFIG_MAP, length);
            assertThatThrownBy(() -> PROTOBUF.decode(truncated)).as("first %d bytes", truncated.length)
                    .isInstanceOf(ProtobufException.class);
        }
    }

    @Test
    void kindNotServed() {
        byte[] body = PROTOBUF.encode(json("{\"apiVersion\": \"v1\", \"kind\": \"ConfigMap\"}"));
        byte[] renamed = new String(body, StandardCharsets.ISO_8859_1).replace("ConfigMap", "ConfigMaq")
                .getBytes(StandardCharsets.ISO_8859_1);

        assertThatThrownBy(() -> PROTOBUF.decode(renamed)).isInstanceOf(ProtobufException.class)
                .hasMessage("no protobuf schema for v1, Kind=ConfigMaq: not a kind kumo serves");
    }

    @Test
    void wrongWireType() {
        // ConfigMap {metadata (1) as a varint}
        byte[] body = HEX.parseHex("6b387300" + "0a0f0a0276311209436f6e6669674d6170" + "1202" + "0801");

        assertThatThrownBy(() -> PROTOBUF.decode(body)).isInstanceOf(ProtobufException.class)
                .hasMessage("ConfigMap.metadata (field 1) has wire type 0, expected 2");
    }

    @Test
    void fieldNumberZero() {
        byte[] body = HEX.parseHex("6b387300" + "0a0f0a0276311209436f6e6669674d6170" + "1202" + "0001");

        assertThatThrownBy(() -> PROTOBUF.decode(body)).isInstanceOf(ProtobufException.class)
                .hasMessageContaining("invalid field number 0");
    }

    @Test
    void varintLongerThanTenBytes() {
        // ConfigMap {immutable (4) with an eleven-byte varint}
        byte[] body = HEX.parseHex("6b387300" + "0a0f0a0276311209436f6e6669674d6170" + "120c" + "20" + "ffffffffffffffffffff01");

        assertThatThrownBy(() -> PROTOBUF.decode(body)).isInstanceOf(ProtobufException.class)
                .hasMessageContaining("varint longer than 10 bytes");
    }

    @Test
    void envelopeWithoutKind() {
        byte[] body = HEX.parseHex("6b387300" + "0a04" + "0a027631" + "1200");

        assertThatThrownBy(() -> PROTOBUF.decode(body)).isInstanceOf(ProtobufException.class)
                .hasMessageContaining("no apiVersion or no kind");
    }

    @Test
    void compressedEnvelope() {
        byte[] body = HEX.parseHex("6b387300" + "0a0f0a0276311209436f6e6669674d6170" + "1200" + "1a04677a6970");

        assertThatThrownBy(() -> PROTOBUF.decode(body)).isInstanceOf(ProtobufException.class)
                .hasMessageContaining("unsupported contentEncoding \"gzip\"");
    }

    @Test
    void rawExtensionThatIsNotJson() {
        // ControllerRevision {data (2) {raw (1) "{"}}
        byte[] body = HEX.parseHex("6b387300" + "0a1d" + "0a0761707073" + "2f7631" + "1212" + "436f6e74726f6c6c6572526576697369" + "6f6e"
                + "1205" + "1203" + "0a017b");

        assertThatThrownBy(() -> PROTOBUF.decode(body)).isInstanceOf(ProtobufException.class)
                .hasMessageContaining("ControllerRevision.data: the embedded bytes are not JSON");
    }

    @Test
    void unknownJsonFieldIsNotDroppedSilently() {
        assertThatThrownBy(() -> PROTOBUF.encode(json("""
                {"apiVersion": "v1", "kind": "Pod", "spec": {"containers": [{"name": "c", "imagePullPolicyy": "Always"}]}}
                """))).isInstanceOf(ProtobufException.class)
                .hasMessage("Pod.spec.containers[0].imagePullPolicyy: no such field in k8s.io.api.core.v1.Container");
    }

    @Test
    void wrongJsonType() {
        assertThatThrownBy(() -> PROTOBUF.encode(json("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": "3"}}
                """))).isInstanceOf(ProtobufException.class)
                .hasMessage("Deployment.spec.replicas: expected a 32-bit integer, got string \"3\"");
    }

    @Test
    void int32OutOfRange() {
        assertThatThrownBy(() -> PROTOBUF.encode(json("""
                {"apiVersion": "apps/v1", "kind": "Deployment", "spec": {"replicas": 2147483648}}
                """))).isInstanceOf(ProtobufException.class).hasMessageContaining("expected a 32-bit integer");
    }

    @Test
    void badBase64() {
        assertThatThrownBy(() -> PROTOBUF.encode(json("""
                {"apiVersion": "v1", "kind": "Secret", "data": {"key": "not base64!"}}
                """))).isInstanceOf(ProtobufException.class).hasMessageContaining("Secret.data[key]: not base64");
    }

    @Test
    void badTime() {
        assertThatThrownBy(() -> PROTOBUF.encode(json("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"creationTimestamp": "yesterday"}}
                """))).isInstanceOf(ProtobufException.class)
                .hasMessage("Pod.metadata.creationTimestamp: \"yesterday\" is not an RFC 3339 time");
    }

    @Test
    void objectWithoutKind() {
        assertThatThrownBy(() -> PROTOBUF.encode(json("{\"apiVersion\": \"v1\"}")))
                .isInstanceOf(ProtobufException.class).hasMessageContaining("the object has no kind");
    }

    @Test
    void kindNotServedOnEncode() {
        assertThatThrownBy(() -> PROTOBUF.encode(json("{\"apiVersion\": \"meta.k8s.io/v1\", \"kind\": \"Table\"}")))
                .isInstanceOf(ProtobufException.class).hasMessageContaining("meta.k8s.io/v1, Kind=Table");
    }
}
