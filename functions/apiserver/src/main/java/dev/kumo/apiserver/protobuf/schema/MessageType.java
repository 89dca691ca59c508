package dev.kumo.apiserver.protobuf.schema;

import java.util.List;

/**
 * A proto message, by its full name (e.g. {@code k8s.io.api.core.v1.Pod}), with its fields in field-number order.
 */
public record MessageType(String name, List<Field> fields) {
    public MessageType {
        fields = List.copyOf(fields);
        for (int i = 1; i < fields.size(); i++) {
            if (fields.get(i - 1).number() >= fields.get(i).number()) {
                throw new IllegalArgumentException(name + ": fields must be in increasing field-number order");
            }
        }
    }

    /** The field with this number, or null: messages have a few dozen fields at most, so a scan is enough. */
    public Field field(int number) {
        for (Field field : fields) {
            if (field.number() == number) {
                return field;
            }
        }
        return null;
    }
}
