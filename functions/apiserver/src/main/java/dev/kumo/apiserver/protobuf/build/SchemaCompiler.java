package dev.kumo.apiserver.protobuf.build;

import com.squareup.wire.schema.Field.Label;
import com.squareup.wire.schema.ProtoType;
import com.squareup.wire.schema.Schema;
import com.squareup.wire.schema.Type;
import dev.kumo.apiserver.protobuf.schema.Cardinality;
import dev.kumo.apiserver.protobuf.schema.Field;
import dev.kumo.apiserver.protobuf.schema.MessageType;
import dev.kumo.apiserver.protobuf.schema.ProtoSchema;
import dev.kumo.apiserver.protobuf.schema.TypeName;
import dev.kumo.apiserver.protobuf.schema.ValueType;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns the parsed .proto schema and the Go struct fields into the codec's {@link ProtoSchema}: every message
 * reachable from the served kinds, each field with its JSON name, value type and Go zero-value rule. Anything
 * it does not know how to map stops the build, so a new Kubernetes release cannot slip in a wrong mapping.
 */
final class SchemaCompiler {
    private static final String META = "k8s.io.apimachinery.pkg.apis.meta.v1.";

    /** Go types with their own JSON marshalling: the codec maps them by hand. */
    private static final Map<String, ValueType> SPECIAL = Map.of(
            META + "Time", ValueType.TIME,
            META + "MicroTime", ValueType.MICRO_TIME,
            META + "FieldsV1", ValueType.FIELDS_V1,
            "k8s.io.apimachinery.pkg.api.resource.Quantity", ValueType.QUANTITY,
            "k8s.io.apimachinery.pkg.util.intstr.IntOrString", ValueType.INT_OR_STRING,
            "k8s.io.apimachinery.pkg.runtime.RawExtension", ValueType.RAW_EXTENSION);

    /** Custom-JSON types the codec does not map yet; none is reachable from the served kinds today. */
    private static final Map<String, String> UNMAPPED = Map.of(
            META + "Duration", "a Go duration string in JSON",
            "k8s.io.apimachinery.pkg.runtime.Unknown", "only the envelope is a runtime.Unknown");

    private static final Map<ProtoType, ValueType> SCALARS = Map.of(
            ProtoType.STRING, ValueType.STRING,
            ProtoType.BOOL, ValueType.BOOL,
            ProtoType.INT32, ValueType.INT32,
            ProtoType.INT64, ValueType.INT64,
            ProtoType.BYTES, ValueType.BYTES);

    private final Schema protos;
    private final Map<String, Map<Integer, GoField>> goStructs;
    private final Map<String, Integer> indices = new LinkedHashMap<>();
    private final Deque<String> pending = new ArrayDeque<>();

    /**
     * @param goStructs Go struct fields by the full proto name of the message (package + struct name)
     */
    SchemaCompiler(Schema protos, Map<String, Map<Integer, GoField>> goStructs) {
        this.protos = protos;
        this.goStructs = goStructs;
    }

    /** @param kinds the full proto message name of each served kind */
    ProtoSchema compile(Map<TypeName, String> kinds) {
        Map<TypeName, Integer> kindIndices = new HashMap<>();
        kinds.entrySet().stream()
                .sorted(Map.Entry.comparingByKey(Comparator.comparing(TypeName::apiVersion).thenComparing(TypeName::kind)))
                .forEach(kind -> kindIndices.put(kind.getKey(), index(kind.getValue(), "kind " + kind.getKey())));
        Map<String, MessageType> compiled = new HashMap<>();
        while (!pending.isEmpty()) {
            String name = pending.removeFirst();
            compiled.put(name, message(name));
        }
        List<MessageType> messages = new ArrayList<>(indices.size());
        indices.keySet().forEach(name -> messages.add(compiled.get(name)));
        return new ProtoSchema(messages, kindIndices);
    }

    private int index(String name, String usedBy) {
        if (SPECIAL.containsKey(name) || UNMAPPED.containsKey(name)) {
            throw new IllegalStateException(usedBy + " is " + name + ", which has no plain message mapping");
        }
        Integer index = indices.get(name);
        if (index == null) {
            if (!(protos.getType(name) instanceof com.squareup.wire.schema.MessageType)) {
                throw new IllegalStateException(usedBy + " refers to " + name + ", which is no message in the .proto files");
            }
            index = indices.size();
            indices.put(name, index);
            pending.addLast(name);
        }
        return index;
    }

    private MessageType message(String name) {
        com.squareup.wire.schema.MessageType proto = (com.squareup.wire.schema.MessageType) protos.getType(name);
        if (!proto.getOneOfs().isEmpty()) {
            throw new IllegalStateException(name + " has a oneof, which Kubernetes messages never have");
        }
        if (proto.getDocumentation().contains("+protobuf.nullable=true")) {
            throw new IllegalStateException(name + " wraps a named Go slice or map (+protobuf.nullable), "
                    + "whose JSON is the bare list; the codec maps only string lists (" + ValueType.STRING_LIST + ")");
        }
        Map<Integer, GoField> goFields = goStructs.get(name);
        if (goFields == null) {
            throw new IllegalStateException("no Go struct found for " + name);
        }
        List<Field> fields = new ArrayList<>();
        proto.getFieldsAndOneOfFields().stream()
                .sorted(Comparator.comparingInt(com.squareup.wire.schema.Field::getTag))
                .forEach(field -> fields.add(field(name, field, goFields.get(field.getTag()))));
        return new MessageType(name, fields);
    }

    private Field field(String message, com.squareup.wire.schema.Field proto, GoField go) {
        String where = message + "." + proto.getName();
        if (go == null) {
            throw new IllegalStateException(where + " (field " + proto.getTag() + ") has no Go struct field");
        }
        ProtoType type = proto.getType();
        if (type.isMap()) {
            if (!ProtoType.STRING.equals(type.getKeyType())) {
                throw new IllegalStateException(where + ": map keys other than strings are not supported");
            }
            return field(go, proto.getName(), Cardinality.MAP, type.getValueType(), where);
        }
        if (proto.getLabel() == Label.REPEATED) {
            return field(go, proto.getName(), Cardinality.REPEATED, type, where);
        }
        if (go.inline()) {
            return field(go, proto.getName(), Cardinality.INLINE, type, where);
        }
        // The JSON name is the Go tag's; the proto name only confirms the pairing. go-to-protobuf names a field
        // after its Go name, so they can differ in case alone (authentication/v1 BoundObjectReference.uID is "uid").
        if (!go.jsonName().equalsIgnoreCase(proto.getName())) {
            throw new IllegalStateException(where + ": the Go json name is \"" + go.jsonName() + "\"");
        }
        return field(go, proto.getName(), Cardinality.SINGLE, type, where);
    }

    private Field field(GoField go, String protoName, Cardinality cardinality, ProtoType type, String where) {
        ValueType valueType = valueType(type, where);
        int message = valueType == ValueType.MESSAGE ? index(type.toString(), where) : -1;
        if (cardinality == Cardinality.INLINE && valueType != ValueType.MESSAGE) {
            throw new IllegalStateException(where + ": an inline field of type " + type + " cannot be mapped");
        }
        String jsonName = cardinality == Cardinality.INLINE ? protoName : go.jsonName();
        boolean keepsZero = cardinality == Cardinality.SINGLE && (go.pointer() || !go.omitEmpty());
        return new Field(go.number(), jsonName, cardinality, valueType, message, keepsZero);
    }

    /** A named Go {@code []string} with {@code +protobuf.nullable}: one {@code repeated string items = 1}. */
    private static boolean isStringList(com.squareup.wire.schema.MessageType message) {
        List<com.squareup.wire.schema.Field> fields = message.getFieldsAndOneOfFields();
        return message.getDocumentation().contains("+protobuf.nullable=true") && fields.size() == 1
                && fields.get(0).getTag() == 1 && fields.get(0).getName().equals("items")
                && fields.get(0).getLabel() == Label.REPEATED && ProtoType.STRING.equals(fields.get(0).getType());
    }

    private ValueType valueType(ProtoType type, String where) {
        if (type.isScalar()) {
            ValueType scalar = SCALARS.get(type);
            if (scalar == null) {
                throw new IllegalStateException(where + ": scalar type " + type + " is not supported");
            }
            return scalar;
        }
        String name = type.toString();
        String unmapped = UNMAPPED.get(name);
        if (unmapped != null) {
            throw new IllegalStateException(where + " is a " + name + " (" + unmapped + "), which the codec does not map");
        }
        Type resolved = protos.getType(type);
        if (resolved != null && !(resolved instanceof com.squareup.wire.schema.MessageType)) {
            throw new IllegalStateException(where + ": " + name + " is an enum, which Kubernetes protos never use");
        }
        if (resolved instanceof com.squareup.wire.schema.MessageType message && isStringList(message)) {
            return ValueType.STRING_LIST;
        }
        return SPECIAL.getOrDefault(name, ValueType.MESSAGE);
    }
}
