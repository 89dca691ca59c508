package dev.kumo.apiserver.protobuf;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The representative objects in src/test/resources/protobuf/objects, and one codec loaded for all tests. */
public final class Fixtures {
    public static final KubernetesProtobuf PROTOBUF = KubernetesProtobuf.load();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Fixtures() {
    }

    public static ObjectNode object(String name) {
        String resource = "protobuf/objects/" + name + ".json";
        try (InputStream in = Fixtures.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + resource);
            }
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static ObjectNode json(String text) {
        try {
            return (ObjectNode) JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
