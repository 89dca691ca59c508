package dev.kumo.apiserver.openapi.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A test-side protobuf decoder: the fields of one message, read without a schema. */
record ProtoMessage(List<Field> fields) {
    record Field(int number, int wireType, long varint, byte[] bytes) {
    }

    static ProtoMessage parse(byte[] data) {
        List<Field> fields = new ArrayList<>();
        int[] position = {0};
        while (position[0] < data.length) {
            long key = varint(data, position);
            int number = (int) (key >>> 3);
            int wireType = (int) (key & 7);
            switch (wireType) {
                case 0 -> fields.add(new Field(number, wireType, varint(data, position), null));
                case 1 -> {
                    fields.add(new Field(number, wireType, 0, Arrays.copyOfRange(data, position[0], position[0] + 8)));
                    position[0] += 8;
                }
                case 2 -> {
                    int length = Math.toIntExact(varint(data, position));
                    fields.add(new Field(number, wireType, 0, Arrays.copyOfRange(data, position[0], position[0] + length)));
                    position[0] += length;
                }
                default -> throw new IllegalArgumentException("unsupported wire type " + wireType + " at " + position[0]);
            }
        }
        if (position[0] != data.length) {
            throw new IllegalArgumentException("message overruns its bytes");
        }
        return new ProtoMessage(fields);
    }

    List<Field> all(int number) {
        return fields.stream().filter(field -> field.number() == number).toList();
    }

    List<ProtoMessage> messages(int number) {
        return all(number).stream().map(field -> parse(field.bytes())).toList();
    }

    ProtoMessage message(int number) {
        List<ProtoMessage> messages = messages(number);
        if (messages.size() != 1) {
            throw new AssertionError("expected one field " + number + ", found " + messages.size());
        }
        return messages.get(0);
    }

    List<String> strings(int number) {
        return all(number).stream().map(field -> new String(field.bytes(), StandardCharsets.UTF_8)).toList();
    }

    String string(int number) {
        List<String> strings = strings(number);
        return strings.isEmpty() ? "" : strings.get(strings.size() - 1);
    }

    long varint(int number) {
        List<Field> all = all(number);
        return all.isEmpty() ? 0 : all.get(all.size() - 1).varint();
    }

    private static long varint(byte[] data, int[] position) {
        long value = 0;
        for (int shift = 0; ; shift += 7) {
            byte b = data[position[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
    }
}
