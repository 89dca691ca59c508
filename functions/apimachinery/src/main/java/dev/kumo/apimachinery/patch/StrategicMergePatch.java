package dev.kumo.apimachinery.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.patch.schema.GroupVersionKind;
import dev.kumo.apimachinery.patch.schema.MergeSchema;
import dev.kumo.apimachinery.patch.schema.SchemaNode;
import java.util.Objects;

/**
 * Kubernetes' strategic merge patch ({@code application/strategic-merge-patch+json}): a JSON merge patch
 * in which lists whose {@code x-kubernetes-patch-strategy} is {@code merge} are merged item by item (by
 * {@code x-kubernetes-patch-merge-key} for objects, as a union for scalars) and which understands the
 * {@code $patch}, {@code $retainKeys}, {@code $setElementOrder/<field>} and
 * {@code $deleteFromPrimitiveList/<field>} directives. Lists without a merge strategy are replaced.
 *
 * <p>The schema is chosen by the original object's {@code apiVersion} and {@code kind}.
 */
public final class StrategicMergePatch implements ObjectPatcher {

    private final MergeSchema schema;

    public StrategicMergePatch(MergeSchema schema) {
        this.schema = Objects.requireNonNull(schema, "schema");
    }

    @Override
    public ObjectNode apply(ObjectNode original, JsonNode patch) {
        if (!(patch instanceof ObjectNode patchObject)) {
            throw new MalformedPatchException("a strategic merge patch must be a JSON object");
        }
        SchemaNode root = GroupVersionKind.ofObject(original)
                .or(() -> GroupVersionKind.ofObject(patch))
                .map(schema::root)
                .orElseGet(SchemaNode::untyped);
        return StrategicObjectMerge.merge(original.deepCopy(), patchObject, root);
    }
}
