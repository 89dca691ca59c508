package dev.kumo.apiserver.protobuf;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apiserver.protobuf.schema.ProtoSchema;
import dev.kumo.apiserver.protobuf.schema.SchemaFile;
import dev.kumo.apiserver.protobuf.schema.TypeName;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * Kubernetes' protobuf wire format ({@value #MEDIA_TYPE}) for the kinds kumo serves, to and from the JSON form
 * kumo works with. Thread-safe; load once and share.
 *
 * <pre>{@code
 * KubernetesProtobuf protobuf = KubernetesProtobuf.load();
 * ObjectNode object = protobuf.decode(requestBody);  // apiVersion and kind filled in from the envelope
 * byte[] body = protobuf.encode(object);             // needs apiVersion and kind; lists and Status too
 * }</pre>
 */
public final class KubernetesProtobuf {
    public static final String MEDIA_TYPE = "application/vnd.kubernetes.protobuf";

    private final ProtoSchema schema;
    private final MessageDecoder decoder;
    private final MessageEncoder encoder;

    KubernetesProtobuf(ProtoSchema schema) {
        this.schema = schema;
        this.decoder = new MessageDecoder(schema);
        this.encoder = new MessageEncoder(schema);
    }

    /** Reads the schema the build put on the classpath ({@link SchemaFile#RESOURCE}). */
    public static KubernetesProtobuf load() {
        try (InputStream in = KubernetesProtobuf.class.getClassLoader().getResourceAsStream(SchemaFile.RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(SchemaFile.RESOURCE + " is not on the classpath: the build's "
                        + "protobuf-schema step makes it");
            }
            return new KubernetesProtobuf(SchemaFile.read(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + SchemaFile.RESOURCE, e);
        }
    }

    /** Whether objects of this apiVersion and kind can be read and written as protobuf. */
    public boolean supports(String apiVersion, String kind) {
        return schema.kind(new TypeName(apiVersion, kind)).isPresent();
    }

    /**
     * The JSON form of a protobuf body ({@code k8s\0} and the envelope), with its apiVersion and kind.
     *
     * @throws ProtobufException if the body is malformed or of a kind not served
     */
    public ObjectNode decode(byte[] body) {
        return decoder.decodeObject(body);
    }

    /**
     * The protobuf body of an object, which must carry apiVersion and kind.
     *
     * @throws ProtobufException if the kind is not served or the object does not fit its schema (wrong types,
     *                           fields the schema does not have)
     */
    public byte[] encode(ObjectNode object) {
        return encoder.encodeObject(object);
    }
}
