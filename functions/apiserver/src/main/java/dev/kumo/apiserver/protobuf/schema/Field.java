package dev.kumo.apiserver.protobuf.schema;

/**
 * One field of a message.
 *
 * @param number    the proto field number
 * @param jsonName  the Go {@code json} name; for an {@link Cardinality#INLINE} field, which has none, the proto name
 * @param type      the type of each value; for a map, of each map value (map keys are always strings)
 * @param message   for {@link ValueType#MESSAGE} values, the index of their message in {@link ProtoSchema}; else -1
 * @param keepsZero for a {@link Cardinality#SINGLE} field, whether a value equal to its type's zero value still
 *                  shows in JSON: true where the Go field is a pointer or has no {@code omitempty}, as Go's JSON
 *                  encoder would show it; false for the other cardinalities
 */
public record Field(int number, String jsonName, Cardinality cardinality, ValueType type, int message,
                    boolean keepsZero) {
    public Field {
        if (number <= 0) {
            throw new IllegalArgumentException("field number must be positive: " + number);
        }
        if ((type == ValueType.MESSAGE) != (message >= 0)) {
            throw new IllegalArgumentException("field " + jsonName + ": a message index goes with MESSAGE values only");
        }
        if (cardinality == Cardinality.INLINE && type != ValueType.MESSAGE) {
            throw new IllegalArgumentException("field " + number + ": only a message can be inline");
        }
    }
}
