package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.Directives.PatchDirective;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Strategic merge of one object: {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/...} and
 * {@code $deleteFromPrimitiveList/...} directives first, then each field, recursing by schema.
 */
final class StrategicObjectMerge {

    private StrategicObjectMerge() {
    }

    /**
     * Merges {@code patch} into {@code live}, which is modified and returned; a null {@code live} merges
     * into an empty object (so that directives and nulls in new values are processed, not stored).
     */
    static ObjectNode merge(ObjectNode live, ObjectNode patch, SchemaNode node) {
        PatchDirective directive = Directives.patchDirective(patch);
        if (directive == PatchDirective.DELETE) {
            return JsonNodeFactory.instance.objectNode();
        }
        Map<String, JsonNode> fields = new LinkedHashMap<>();
        patch.fields().forEachRemaining(field -> fields.put(field.getKey(), field.getValue()));
        fields.remove(Directives.PATCH);
        ObjectNode result = live == null || directive == PatchDirective.REPLACE
                ? JsonNodeFactory.instance.objectNode()
                : live;
        retainKeys(result, fields);
        setElementOrders(result, fields, node);
        deleteFromPrimitiveLists(result, fields);
        fields.forEach((name, value) -> {
            JsonNode merged = value.isNull() ? null : mergeValue(result.get(name), value, node.field(name));
            if (merged == null) {
                result.remove(name);
            } else {
                result.set(name, merged);
            }
        });
        return result;
    }

    /** The merge of one field's patch value into its live value (either may be absent); null removes it. */
    static JsonNode mergeValue(JsonNode live, JsonNode patch, SchemaNode node) {
        if (patch instanceof ObjectNode object) {
            if (!(live instanceof ObjectNode liveObject)) {
                return Directives.patchDirective(object) == PatchDirective.DELETE ? null : merge(null, object, node);
            }
            return node.patchStrategy().replace() ? merge(null, object, node) : merge(liveObject, object, node);
        }
        if (patch instanceof ArrayNode array) {
            ArrayNode liveArray = live instanceof ArrayNode a ? a : JsonNodeFactory.instance.arrayNode();
            return StrategicListMerge.merge(liveArray, array, node);
        }
        return patch.deepCopy();
    }

    /** {@code $retainKeys}: drops live fields it does not list; every field the patch sets must be listed. */
    private static void retainKeys(ObjectNode result, Map<String, JsonNode> fields) {
        JsonNode retain = fields.remove(Directives.RETAIN_KEYS);
        if (retain == null) {
            return;
        }
        if (!retain.isArray()) {
            throw new MalformedPatchException("invalid patch format of retainKeys: " + Directives.RETAIN_KEYS
                    + " must be a list of field names, not " + retain);
        }
        Set<String> kept = new HashSet<>();
        retain.forEach(name -> kept.add(name.isTextual() ? name.asText() : name.toString()));
        fields.forEach((name, value) -> {
            boolean directive = name.startsWith(Directives.SET_ELEMENT_ORDER)
                    || name.startsWith(Directives.DELETE_FROM_PRIMITIVE_LIST);
            if (!value.isNull() && !directive && !kept.contains(name)) {
                throw new MalformedPatchException("invalid patch format of retainKeys: field \"" + name
                        + "\" is set by the patch but missing from " + Directives.RETAIN_KEYS + " " + retain);
            }
        });
        result.retain(kept);
    }

    /** {@code $setElementOrder/<field>}: merges the field's patch list, then orders it as the directive says. */
    private static void setElementOrders(ObjectNode result, Map<String, JsonNode> fields, SchemaNode node) {
        for (String key : List.copyOf(fields.keySet())) {
            if (!key.startsWith(Directives.SET_ELEMENT_ORDER)) {
                continue;
            }
            JsonNode order = fields.remove(key);
            String name = Directives.target(key, Directives.SET_ELEMENT_ORDER);
            if (!order.isArray()) {
                throw new MalformedPatchException("invalid patch format of setElementOrder list: " + key
                        + " must be a list, not " + order);
            }
            JsonNode live = result.get(name);
            JsonNode patchList = fields.remove(name);
            if (live != null && !live.isArray()) {
                throw new PatchApplicationException("cannot order \"" + name + "\": it is not a list");
            }
            if (patchList != null && !patchList.isArray()) {
                throw new MalformedPatchException("invalid patch: " + key + " applies to \"" + name
                        + "\", which the patch sets to a non-list " + patchList);
            }
            if (live == null && patchList == null) {
                continue;
            }
            SchemaNode field = node.field(name);
            String mergeKey = field.patchMergeKey().orElse(null);
            UnaryOperator<JsonNode> identity = item -> identity(item, mergeKey);
            ArrayNode liveList = live == null ? JsonNodeFactory.instance.arrayNode() : (ArrayNode) live;
            checkOrder((ArrayNode) patchList, (ArrayNode) order, mergeKey, identity);
            ArrayNode merged = patchList == null
                    ? liveList
                    : (ArrayNode) mergeValue(live, patchList, field);
            List<JsonNode> arranged = new ElementOrder(identity).arrange(
                    StrategicListMerge.list(merged),
                    StrategicListMerge.list((ArrayNode) order),
                    StrategicListMerge.list(liveList));
            result.set(name, StrategicListMerge.toArray(arranged));
        }
    }

    private static JsonNode identity(JsonNode item, String mergeKey) {
        if (mergeKey == null || !item.isObject()) {
            return item;
        }
        return StrategicListMerge.requireKey(item, mergeKey);
    }

    /** The patch list's items (deletions aside) must appear in the order {@code $setElementOrder} gives. */
    private static void checkOrder(ArrayNode patchList, ArrayNode order, String mergeKey,
                                   UnaryOperator<JsonNode> identity) {
        if (patchList == null || patchList.isEmpty() || order.isEmpty()) {
            return;
        }
        int p = 0;
        int o = 0;
        List<JsonNode> items = StrategicListMerge.list(patchList).stream()
                .filter(item -> mergeKey == null || !item.isObject()
                        || Directives.patchDirective(item) != PatchDirective.DELETE)
                .toList();
        while (p < items.size() && o < order.size()) {
            if (items.get(p).isObject() && items.get(p).has(Directives.PATCH)) {
                p++;
                continue;
            }
            if (JsonValues.equal(identity.apply(items.get(p)), identity.apply(order.get(o)))) {
                p++;
            }
            o++;
        }
        if (p < items.size()) {
            throw new MalformedPatchException("the order in patch list " + patchList
                    + " doesn't match $setElementOrder list " + order);
        }
    }

    /** {@code $deleteFromPrimitiveList/<field>}: removes those values from the live list, if there is one. */
    private static void deleteFromPrimitiveLists(ObjectNode result, Map<String, JsonNode> fields) {
        for (String key : List.copyOf(fields.keySet())) {
            if (!key.startsWith(Directives.DELETE_FROM_PRIMITIVE_LIST)) {
                continue;
            }
            JsonNode values = fields.remove(key);
            String name = Directives.target(key, Directives.DELETE_FROM_PRIMITIVE_LIST);
            if (!values.isArray() || !allScalars(values)) {
                throw new MalformedPatchException("invalid patch format of primitive list: " + key
                        + " must be a list of scalars, not " + values);
            }
            if (result.get(name) instanceof ArrayNode live) {
                result.set(name, StrategicListMerge.without(live, values));
            }
        }
    }

    private static boolean allScalars(JsonNode values) {
        for (JsonNode value : values) {
            if (value.isContainerNode()) {
                return false;
            }
        }
        return true;
    }
}
