package dev.kumo.apiserver.protobuf;

import static dev.kumo.apiserver.protobuf.Fixtures.PROTOBUF;
import static dev.kumo.apiserver.protobuf.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.protobuf.schema.TypeName;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A RawExtension holds JSON, or an enveloped protobuf object (as in protobuf watch events), read as its JSON. */
class RawExtensionTest {
    private static final ObjectNode CONFIG_MAP = json("""
            {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}}
            """);

    @Test
    void anEmbeddedProtobufObjectIsReadAsItsJson() {
        WireWriter raw = new WireWriter();
        raw.bytes(1, PROTOBUF.encode(CONFIG_MAP));
        WireWriter watchEvent = new WireWriter();
        watchEvent.string(1, "ADDED");
        watchEvent.message(2, raw);
        byte[] body = new Envelope(new TypeName("v1", "WatchEvent"), watchEvent.toByteArray()).toBytes();

        assertThat(PROTOBUF.decode(body)).isEqualTo(json("""
                {"apiVersion": "v1", "kind": "WatchEvent", "type": "ADDED",
                 "object": {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "x"}, "data": {"a": "b"}}}
                """));
    }

    @Test
    void embeddedJsonIsWrittenAsJsonText() {
        ObjectNode event = json("{\"apiVersion\": \"v1\", \"kind\": \"WatchEvent\", \"type\": \"ADDED\"}");
        event.set("object", CONFIG_MAP);

        assertThat(PROTOBUF.decode(PROTOBUF.encode(event))).isEqualTo(event);
        assertThat(new String(PROTOBUF.encode(event), StandardCharsets.UTF_8))
                .contains("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\"");
    }
}
