package dev.kumo.apiserver.openapi.build.gnostic;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Protocol buffers wire format for one message, with proto3's implicit presence: scalar fields holding their
 * default (empty string, false, 0) are left out unless written as a oneof member.
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int FIXED64 = 1;
    private static final int LENGTH_DELIMITED = 2;

    private byte[] buffer = new byte[64];
    private int size;

    void string(int field, String value) {
        if (!value.isEmpty()) {
            repeatedString(field, value);
        }
    }

    /** An element of a repeated string field, written even when empty. */
    void repeatedString(int field, String value) {
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        tag(field, LENGTH_DELIMITED);
        varint(utf8.length);
        append(utf8, utf8.length);
    }

    void bool(int field, boolean value) {
        if (value) {
            oneofBool(field, true);
        }
    }

    /** A bool member of a oneof: written even when false, since being set is what selects the member. */
    void oneofBool(int field, boolean value) {
        tag(field, VARINT);
        varint(value ? 1 : 0);
    }

    void int64(int field, long value) {
        if (value != 0) {
            tag(field, VARINT);
            varint(value);
        }
    }

    void doubleValue(int field, double value) {
        long bits = Double.doubleToRawLongBits(value);
        if (bits != 0) {
            tag(field, FIXED64);
            for (int i = 0; i < 8; i++) {
                appendByte((int) (bits >>> (8 * i)));
            }
        }
    }

    /** A message field: written whenever present, even when empty. */
    void message(int field, ProtoWriter message) {
        tag(field, LENGTH_DELIMITED);
        varint(message.size);
        append(message.buffer, message.size);
    }

    byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        long rest = value;
        while ((rest & ~0x7FL) != 0) {
            appendByte((int) ((rest & 0x7F) | 0x80));
            rest >>>= 7;
        }
        appendByte((int) rest);
    }

    private void appendByte(int b) {
        ensureCapacity(1);
        buffer[size++] = (byte) b;
    }

    private void append(byte[] bytes, int length) {
        ensureCapacity(length);
        System.arraycopy(bytes, 0, buffer, size, length);
        size += length;
    }

    private void ensureCapacity(int extra) {
        if (size + extra > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + extra));
        }
    }
}
