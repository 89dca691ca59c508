package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.Map;

/** JSON value comparisons in which numbers are equal when their values are, whatever their Java type. */
public final class JsonValues {

    private JsonValues() {
    }

    /** Deep equality; {@code 1}, {@code 1L} and {@code 1.0} are equal. Null references equal only each other. */
    public static boolean equal(JsonNode a, JsonNode b) {
        if (a == b) {
            return true;
        }
        if (a == null || b == null) {
            return false;
        }
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (!equal(field.getValue(), b.get(field.getKey()))) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!equal(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /**
     * A copy of a scalar in a canonical form, so that equal values are {@link Object#equals equal}: integral
     * numbers become longs where they fit.
     */
    public static JsonNode canonical(JsonNode value) {
        if (value.isNumber() && !value.isIntegralNumber()) {
            var decimal = value.decimalValue().stripTrailingZeros();
            if (decimal.scale() <= 0 && decimal.precision() - decimal.scale() <= 18) {
                return JsonNodeFactory.instance.numberNode(decimal.longValueExact());
            }
            return value;
        }
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return JsonNodeFactory.instance.numberNode(value.longValue());
        }
        return value;
    }
}
