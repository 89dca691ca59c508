package dev.kumo.apiserver.protobuf;

import static dev.kumo.apiserver.protobuf.Fixtures.PROTOBUF;
import static dev.kumo.apiserver.protobuf.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Exact bytes, worked out by hand from the protobuf encoding rules and Kubernetes' envelope. */
class WireFormatTest {
    private static final HexFormat HEX = HexFormat.of();

    /**
     * {@code k8s\0}, then runtime.Unknown: typeMeta (1) {apiVersion (1) "v1", kind (2) "ConfigMap"}, raw (2)
     * ConfigMap {metadata (1) {name (1) "x"}, data (2) entry {key (1) "a", value (2) "b"}}, contentEncoding (3)
     * "", contentType (4) "".
     */
    private static final String CONFIG_MAP = "6b387300"
            + "0a0f" + "0a027631" + "1209436f6e6669674d6170"
            + "120d" + "0a030a0178" + "12060a016112016" + "2"
            + "1a00" + "2200";

    @Test
    void encodesAConfigMapAsGoDoes() {
        byte[] body = PROTOBUF.encode(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}}
                """));

        assertThat(HEX.formatHex(body)).isEqualTo(CONFIG_MAP);
    }

    @Test
    void decodesAConfigMap() {
        assertThat(PROTOBUF.decode(HEX.parseHex(CONFIG_MAP))).isEqualTo(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}}
                """));
    }

    /** Service.spec (2) .ports (1) [0] .targetPort (4) IntOrString {type (1) 0, intVal (2) 8080, strVal (3) ""}. */
    @Test
    void writesIntOrStringWithAllThreeFields() {
        byte[] body = PROTOBUF.encode(json("""
                {"apiVersion": "v1", "kind": "Service", "spec": {"ports": [{"targetPort": 8080}]}}
                """));

        assertThat(HEX.formatHex(body)).contains("12" + "0b" + "0a" + "09" + "22" + "07" + "0800" + "10903f" + "1a00");
    }

    /** A negative int32 is sign-extended to ten bytes, as protobuf's int32 is. */
    @Test
    void writesNegativeInt32AsTenBytes() {
        byte[] body = PROTOBUF.encode(json("""
                {"apiVersion": "v1", "kind": "Status", "code": -1}
                """));

        assertThat(HEX.formatHex(body)).contains("30" + "ffffffffffffffffff01");
        assertThat(PROTOBUF.decode(body).get("code").intValue()).isEqualTo(-1);
    }

    /** Go writes proto2 repeated scalars unpacked; a packed run must read the same. */
    @Test
    void readsPackedRepeatedVarints() {
        // Pod {spec (2) {securityContext (14) {supplementalGroups (4) packed [3000, 4000]}}}
        String pod = "12" + "08" + "72" + "06" + "22" + "04" + "b817" + "a01f";
        byte[] body = HEX.parseHex("6b387300" + "0a09" + "0a027631" + "1203506f64" + "120a" + pod);

        assertThat(PROTOBUF.decode(body).at("/spec/securityContext/supplementalGroups").toString())
                .isEqualTo("[3000,4000]");
    }

    @Test
    void skipsFieldsNewerThanTheSchema() {
        // ConfigMap {metadata (1) {name (1) "x"}, field 99 varint 1, field 100 fixed32, field 101 fixed64}
        String configMap = "0a030a0178" + "98" + "06" + "01" + "a506" + "01020304" + "a906" + "0102030405060708";
        byte[] body = HEX.parseHex("6b387300" + "0a0f0a0276311209436f6e6669674d6170" + "1218" + configMap);

        assertThat(PROTOBUF.decode(body)).isEqualTo(json("""
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}}
                """));
    }
}
