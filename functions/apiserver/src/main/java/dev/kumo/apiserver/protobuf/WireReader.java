package dev.kumo.apiserver.protobuf;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Reads protobuf wire format from a byte range: tags, varints, fixed-width and length-delimited values. */
final class WireReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final byte[] buffer;
    private final int limit;
    private int position;

    WireReader(byte[] buffer) {
        this(buffer, 0, buffer.length);
    }

    private WireReader(byte[] buffer, int offset, int limit) {
        this.buffer = buffer;
        this.position = offset;
        this.limit = limit;
    }

    boolean atEnd() {
        return position >= limit;
    }

    /** The next field's tag: field number and wire type. */
    Tag tag() {
        long tag = varint();
        int fieldNumber = (int) (tag >>> 3);
        if (tag >>> 3 > Integer.MAX_VALUE || fieldNumber == 0) {
            throw new ProtobufException("invalid field number " + (tag >>> 3) + " at byte " + position);
        }
        return new Tag(fieldNumber, (int) (tag & 7));
    }

    long varint() {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            if (position >= limit) {
                throw new ProtobufException("truncated varint at byte " + position);
            }
            byte b = buffer[position++];
            value |= (long) (b & 0x7f) << shift;
            if (b >= 0) {
                return value;
            }
        }
        throw new ProtobufException("varint longer than 10 bytes at byte " + position);
    }

    /** A length-delimited value as a reader over its bytes (no copy). */
    WireReader message() {
        int length = length();
        WireReader nested = new WireReader(buffer, position, position + length);
        position += length;
        return nested;
    }

    byte[] bytes() {
        int length = length();
        byte[] bytes = Arrays.copyOfRange(buffer, position, position + length);
        position += length;
        return bytes;
    }

    /** Go's protobuf does not check UTF-8 and its JSON encoder writes U+FFFD for bad bytes; decoding does the same. */
    String string() {
        int length = length();
        String string = new String(buffer, position, length, StandardCharsets.UTF_8);
        position += length;
        return string;
    }

    /** Skips a value of a field the schema does not know. */
    void skip(int wireType) {
        switch (wireType) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> advance(length());
            case FIXED32 -> advance(4);
            default -> throw new ProtobufException("unsupported wire type " + wireType + " at byte " + position);
        }
    }

    private int length() {
        long length = varint();
        if (length < 0 || length > limit - position) {
            throw new ProtobufException("length " + length + " at byte " + position + " runs past the end ("
                    + (limit - position) + " bytes left)");
        }
        return (int) length;
    }

    private void advance(int count) {
        if (count > limit - position) {
            throw new ProtobufException("truncated value at byte " + position);
        }
        position += count;
    }

    record Tag(int fieldNumber, int wireType) {
        /** Stops on a field whose wire type is not the schema's: the bytes are not the message they claim to be. */
        void expect(int expected, String path) {
            if (wireType != expected) {
                throw new ProtobufException(path + " (field " + fieldNumber + ") has wire type " + wireType
                        + ", expected " + expected);
            }
        }
    }
}
