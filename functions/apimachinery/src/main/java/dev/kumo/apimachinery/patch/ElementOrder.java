package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Orders a merged list the way Kubernetes' strategic merge patch does: items named by the patch (or by
 * {@code $setElementOrder}) follow that order, items only the server has keep their relative order, and
 * the two runs are interleaved using the server's order where both sides know an item.
 */
final class ElementOrder {

    private final UnaryOperator<JsonNode> identity;

    /** @param identity what identifies an item: its merge key's value, or the item itself for scalars */
    ElementOrder(UnaryOperator<JsonNode> identity) {
        this.identity = identity;
    }

    /**
     * @param merged the merged items
     * @param wanted the order the patch asks for
     * @param server the live list's order
     */
    List<JsonNode> arrange(List<JsonNode> merged, List<JsonNode> wanted, List<JsonNode> server) {
        List<JsonNode> fromPatch = new ArrayList<>();
        List<JsonNode> serverOnly = new ArrayList<>();
        for (JsonNode item : merged) {
            (indexOf(wanted, item) >= 0 ? fromPatch : serverOnly).add(item);
        }
        fromPatch.sort(byIndexIn(wanted));
        serverOnly.sort(byIndexIn(server));
        return interleave(serverOnly, fromPatch, server);
    }

    /** Takes a server-only item first only when the server's order puts it before the next patch item. */
    private List<JsonNode> interleave(List<JsonNode> serverOnly, List<JsonNode> fromPatch, List<JsonNode> server) {
        List<JsonNode> result = new ArrayList<>(serverOnly.size() + fromPatch.size());
        int s = 0;
        int p = 0;
        while (s < serverOnly.size() || p < fromPatch.size()) {
            if (p >= fromPatch.size()) {
                result.add(serverOnly.get(s++));
            } else if (s >= serverOnly.size()) {
                result.add(fromPatch.get(p++));
            } else {
                int left = indexOf(server, serverOnly.get(s));
                int right = indexOf(server, fromPatch.get(p));
                result.add(left >= 0 && right >= 0 && left < right ? serverOnly.get(s++) : fromPatch.get(p++));
            }
        }
        return result;
    }

    /** Stable order by position in {@code order}; items it lacks go last. */
    private Comparator<JsonNode> byIndexIn(List<JsonNode> order) {
        return Comparator.comparingInt(item -> {
            int index = indexOf(order, item);
            return index < 0 ? Integer.MAX_VALUE : index;
        });
    }

    int indexOf(List<JsonNode> items, JsonNode item) {
        JsonNode id = identity.apply(item);
        for (int i = 0; i < items.size(); i++) {
            if (JsonValues.equal(id, identity.apply(items.get(i)))) {
                return i;
            }
        }
        return -1;
    }
}
