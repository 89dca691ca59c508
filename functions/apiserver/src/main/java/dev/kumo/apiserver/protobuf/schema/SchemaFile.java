package dev.kumo.apiserver.protobuf.schema;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The binary form of a {@link ProtoSchema} the build ships as the classpath resource {@link #RESOURCE}: a few
 * dozen kilobytes that load in milliseconds, where parsing .proto files would need a parser in the Lambda.
 *
 * <p>Layout (big-endian, strings in modified UTF-8): magic, message count, per message its name and fields
 * (number, JSON name, cardinality, value type, message index, keeps-zero), kind count, per kind its apiVersion,
 * kind and message index.
 */
public final class SchemaFile {
    public static final String RESOURCE = "protobuf/schema.bin";

    private static final int MAGIC = 0x4b505331; // "KPS1"; bump the digit when the layout changes

    private SchemaFile() {
    }

    public static void write(ProtoSchema schema, OutputStream stream) throws IOException {
        DataOutputStream out = new DataOutputStream(stream);
        out.writeInt(MAGIC);
        out.writeInt(schema.messages().size());
        for (MessageType message : schema.messages()) {
            out.writeUTF(message.name());
            out.writeShort(message.fields().size());
            for (Field field : message.fields()) {
                out.writeInt(field.number());
                out.writeUTF(field.jsonName());
                out.writeByte(field.cardinality().ordinal());
                out.writeByte(field.type().ordinal());
                out.writeInt(field.message());
                out.writeBoolean(field.keepsZero());
            }
        }
        List<Map.Entry<TypeName, Integer>> kinds = new ArrayList<>(schema.kinds().entrySet());
        // Sorted so the same schema always gives the same bytes.
        kinds.sort(Map.Entry.comparingByKey(Comparator.comparing(TypeName::apiVersion).thenComparing(TypeName::kind)));
        out.writeInt(kinds.size());
        for (Map.Entry<TypeName, Integer> kind : kinds) {
            out.writeUTF(kind.getKey().apiVersion());
            out.writeUTF(kind.getKey().kind());
            out.writeInt(kind.getValue());
        }
        out.flush();
    }

    public static ProtoSchema read(InputStream stream) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        if (in.readInt() != MAGIC) {
            throw new IOException("not a kumo protobuf schema of this version (bad magic)");
        }
        int messageCount = in.readInt();
        List<MessageType> messages = new ArrayList<>(messageCount);
        for (int m = 0; m < messageCount; m++) {
            String name = in.readUTF();
            int fieldCount = in.readUnsignedShort();
            List<Field> fields = new ArrayList<>(fieldCount);
            for (int f = 0; f < fieldCount; f++) {
                fields.add(new Field(in.readInt(), in.readUTF(), Cardinality.values()[in.readUnsignedByte()],
                        ValueType.values()[in.readUnsignedByte()], in.readInt(), in.readBoolean()));
            }
            messages.add(new MessageType(name, fields));
        }
        int kindCount = in.readInt();
        Map<TypeName, Integer> kinds = new HashMap<>();
        for (int k = 0; k < kindCount; k++) {
            kinds.put(new TypeName(in.readUTF(), in.readUTF()), in.readInt());
        }
        if (in.read() != -1) {
            throw new IOException("trailing bytes after the protobuf schema");
        }
        return new ProtoSchema(messages, kinds);
    }
}
