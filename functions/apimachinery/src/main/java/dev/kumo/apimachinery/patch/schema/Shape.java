package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;

/** What kind of JSON value a schema node describes. */
public enum Shape {
    /** A JSON object: a struct with declared fields, a map with typed values, or both. */
    OBJECT,
    /** A JSON array. */
    LIST,
    /** A string, number, boolean, or an int-or-string. */
    SCALAR,
    /** No schema is known: the value decides (objects are granular maps, arrays are atomic lists). */
    UNTYPED;

    /** Whether a value of this JSON type fits this shape; an untyped node fits anything. */
    public boolean fits(JsonNode value) {
        return switch (this) {
            case OBJECT -> value.isObject();
            case LIST -> value.isArray();
            case SCALAR -> value.isValueNode();
            case UNTYPED -> true;
        };
    }
}
