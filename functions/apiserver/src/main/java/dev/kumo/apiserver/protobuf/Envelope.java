package dev.kumo.apiserver.protobuf;

import dev.kumo.apiserver.protobuf.schema.TypeName;
import java.util.Arrays;

/**
 * Kubernetes' protobuf framing of an object: the magic {@code k8s\0} and a {@code runtime.Unknown} message
 * {typeMeta = 1 {apiVersion = 1, kind = 2}, raw = 2, contentEncoding = 3, contentType = 4}, whose raw is the
 * object's own message (k8s.io/apimachinery/pkg/runtime/serializer/protobuf).
 */
record Envelope(TypeName type, byte[] raw) {
    private static final byte[] MAGIC = {'k', '8', 's', 0};

    static boolean hasMagic(byte[] body) {
        return body.length >= MAGIC.length && Arrays.equals(body, 0, MAGIC.length, MAGIC, 0, MAGIC.length);
    }

    static Envelope parse(byte[] body) {
        if (!hasMagic(body)) {
            throw new ProtobufException("not a Kubernetes protobuf object: the body does not start with k8s\\0");
        }
        WireReader unknown = new WireReader(Arrays.copyOfRange(body, MAGIC.length, body.length));
        String apiVersion = "";
        String kind = "";
        byte[] raw = new byte[0];
        while (!unknown.atEnd()) {
            WireReader.Tag tag = unknown.tag();
            switch (tag.fieldNumber()) {
                case 1 -> {
                    expectLengthDelimited(tag, "typeMeta");
                    WireReader typeMeta = unknown.message();
                    while (!typeMeta.atEnd()) {
                        WireReader.Tag field = typeMeta.tag();
                        switch (field.fieldNumber()) {
                            case 1 -> apiVersion = lengthDelimitedString(typeMeta, field, "typeMeta.apiVersion");
                            case 2 -> kind = lengthDelimitedString(typeMeta, field, "typeMeta.kind");
                            default -> typeMeta.skip(field.wireType());
                        }
                    }
                }
                case 2 -> {
                    expectLengthDelimited(tag, "raw");
                    raw = unknown.bytes();
                }
                case 3 -> {
                    String encoding = lengthDelimitedString(unknown, tag, "contentEncoding");
                    if (!encoding.isEmpty()) {
                        throw new ProtobufException("unsupported contentEncoding \"" + encoding + "\" in the protobuf envelope");
                    }
                }
                case 4 -> {
                    String contentType = lengthDelimitedString(unknown, tag, "contentType");
                    if (!contentType.isEmpty() && !contentType.equals(KubernetesProtobuf.MEDIA_TYPE)) {
                        throw new ProtobufException("unsupported contentType \"" + contentType + "\" in the protobuf envelope");
                    }
                }
                default -> unknown.skip(tag.wireType());
            }
        }
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            throw new ProtobufException("the protobuf envelope has no apiVersion or no kind (apiVersion \""
                    + apiVersion + "\", kind \"" + kind + "\")");
        }
        return new Envelope(new TypeName(apiVersion, kind), raw);
    }

    /** Written as Go writes it, empty contentEncoding and contentType included. */
    byte[] toBytes() {
        WireWriter typeMeta = new WireWriter();
        typeMeta.string(1, type.apiVersion());
        typeMeta.string(2, type.kind());
        WireWriter unknown = new WireWriter();
        unknown.message(1, typeMeta);
        unknown.bytes(2, raw);
        unknown.string(3, "");
        unknown.string(4, "");
        byte[] message = unknown.toByteArray();
        byte[] body = Arrays.copyOf(MAGIC, MAGIC.length + message.length);
        System.arraycopy(message, 0, body, MAGIC.length, message.length);
        return body;
    }

    private static void expectLengthDelimited(WireReader.Tag tag, String name) {
        if (tag.wireType() != WireReader.LENGTH_DELIMITED) {
            throw new ProtobufException("protobuf envelope field " + name + " has wire type " + tag.wireType()
                    + ", expected length-delimited");
        }
    }

    private static String lengthDelimitedString(WireReader reader, WireReader.Tag tag, String name) {
        expectLengthDelimited(tag, name);
        return reader.string();
    }
}
