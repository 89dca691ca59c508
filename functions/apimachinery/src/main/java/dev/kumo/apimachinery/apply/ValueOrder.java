package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The total order structured-merge-diff puts on values (so that field sets serialize deterministically):
 * numbers, then strings, booleans, lists, objects, and null last.
 */
final class ValueOrder implements Comparator<JsonNode> {

    static final ValueOrder INSTANCE = new ValueOrder();

    private ValueOrder() {
    }

    @Override
    public int compare(JsonNode a, JsonNode b) {
        int rank = Integer.compare(rank(a), rank(b));
        if (rank != 0) {
            return rank;
        }
        if (a.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        if (a.isTextual()) {
            return a.asText().compareTo(b.asText());
        }
        if (a.isBoolean()) {
            return Boolean.compare(a.asBoolean(), b.asBoolean());
        }
        if (a.isArray()) {
            return compareLists(a, b);
        }
        if (a.isObject()) {
            return compareObjects(a, b);
        }
        return 0;
    }

    private static int rank(JsonNode value) {
        if (value.isNumber()) {
            return 0;
        }
        if (value.isTextual()) {
            return 1;
        }
        if (value.isBoolean()) {
            return 2;
        }
        if (value.isArray()) {
            return 3;
        }
        if (value.isObject()) {
            return 4;
        }
        return 5;
    }

    private int compareLists(JsonNode a, JsonNode b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private int compareObjects(JsonNode a, JsonNode b) {
        List<Map.Entry<String, JsonNode>> left = sortedFields(a);
        List<Map.Entry<String, JsonNode>> right = sortedFields(b);
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int c = left.get(i).getKey().compareTo(right.get(i).getKey());
            if (c == 0) {
                c = compare(left.get(i).getValue(), right.get(i).getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    private static List<Map.Entry<String, JsonNode>> sortedFields(JsonNode object) {
        List<Map.Entry<String, JsonNode>> fields = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            fields.add(it.next());
        }
        fields.sort(Map.Entry.comparingByKey());
        return fields;
    }
}
