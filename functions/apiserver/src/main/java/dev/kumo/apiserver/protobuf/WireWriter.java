package dev.kumo.apiserver.protobuf;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Writes protobuf wire format: each method writes one whole field (tag and value). */
final class WireWriter {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** int32, int64 and bool: negative numbers take ten bytes, as protobuf's int32 sign-extends them. */
    void varint(int fieldNumber, long value) {
        tag(fieldNumber, WireReader.VARINT);
        rawVarint(value);
    }

    void bytes(int fieldNumber, byte[] value) {
        tag(fieldNumber, WireReader.LENGTH_DELIMITED);
        rawVarint(value.length);
        out.writeBytes(value);
    }

    void string(int fieldNumber, String value) {
        bytes(fieldNumber, value.getBytes(StandardCharsets.UTF_8));
    }

    void message(int fieldNumber, WireWriter message) {
        tag(fieldNumber, WireReader.LENGTH_DELIMITED);
        rawVarint(message.out.size());
        out.writeBytes(message.out.toByteArray());
    }

    boolean isEmpty() {
        return out.size() == 0;
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }

    private void tag(int fieldNumber, int wireType) {
        rawVarint(((long) fieldNumber << 3) | wireType);
    }

    private void rawVarint(long value) {
        while ((value & ~0x7fL) != 0) {
            out.write((int) ((value & 0x7f) | 0x80));
            value >>>= 7;
        }
        out.write((int) value);
    }
}
