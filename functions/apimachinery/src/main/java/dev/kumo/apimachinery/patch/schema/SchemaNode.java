package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;

/**
 * The structural hints Kubernetes' OpenAPI carries for one node of an object: what shape the value has,
 * how lists are keyed, whether maps are atomic, and how strategic merge patches combine it.
 *
 * <p>Nodes are navigated from {@link MergeSchema#root}; a node without schema is {@link #untyped()}, which
 * answers the defaults Kubernetes uses for unknown data: atomic lists, granular maps, no patch strategy.
 */
public interface SchemaNode {

    Shape shape();

    /** The node of a field of this object: a declared field, else the map's value type, else untyped. */
    SchemaNode field(String name);

    /** Whether {@code name} is a declared field of this object (as opposed to a key of a map). */
    boolean declares(String name);

    /** The node of this list's items; untyped when this is not a list. */
    SchemaNode items();

    /**
     * {@code x-kubernetes-list-type}. Without the extension Kubernetes derives it from the patch strategy:
     * {@code merge} with a merge key is a map keyed by it, {@code merge} without one is a set, anything else
     * is atomic.
     */
    ListType listType();

    /** {@code x-kubernetes-list-map-keys} of a {@link ListType#MAP} list; empty otherwise. */
    List<String> listMapKeys();

    /** {@code x-kubernetes-map-type}. */
    MapType mapType();

    /** {@code x-kubernetes-patch-strategy}. */
    PatchStrategy patchStrategy();

    /** {@code x-kubernetes-patch-merge-key}. */
    Optional<String> patchMergeKey();

    /** The schema's {@code default}, used for list-map keys that an item leaves out. */
    Optional<JsonNode> defaultValue();

    /** Follows field names from this node; a name met on a list applies to the list's items. */
    default SchemaNode at(String... path) {
        SchemaNode node = this;
        for (String name : path) {
            while (node.shape() == Shape.LIST) {
                node = node.items();
            }
            node = node.field(name);
        }
        return node;
    }

    /** The node for values without schema. */
    static SchemaNode untyped() {
        return UntypedNode.INSTANCE;
    }
}
