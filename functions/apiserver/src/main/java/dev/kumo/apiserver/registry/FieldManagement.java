package dev.kumo.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.apply.ApplyResult;
import dev.kumo.apimachinery.apply.FieldManager;
import dev.kumo.apimachinery.apply.FieldPath;
import dev.kumo.apimachinery.apply.FieldSet;
import dev.kumo.apimachinery.patch.schema.MergeSchema;
import dev.kumo.apimachinery.patch.schema.OpenApiMergeSchema;
import dev.kumo.apiserver.openapi.OpenApiDocuments;
import dev.kumo.apiserver.resources.ResourceDefinition;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Set;

/**
 * managedFields for every write, and server-side apply, over the structural hints of kumo's own OpenAPI document.
 * Fields behind a subresource are nobody's on the main resource ({@code .status} when status has its own
 * subresource), as in Kubernetes' "reset fields".
 */
public final class FieldManagement {
    private final MergeSchema schema;
    private final FieldManager manager;

    public FieldManagement(MergeSchema schema, Clock clock, Set<String> kindsWithStatusSubresource) {
        this.schema = schema;
        FieldSet status = FieldSet.of(FieldPath.ofFields("status"));
        this.manager = new FieldManager(schema, clock, (kind, subresource) ->
                subresource.isEmpty() && kindsWithStatusSubresource.contains(kind.apiVersion() + "/" + kind.kind())
                        ? status : FieldSet.empty());
    }

    /**
     * The schema of the served OpenAPI v3 documents, joined into one: v3 (unlike v2) carries the defaults of
     * list-map keys such as a container port's {@code protocol: TCP}, which server-side apply needs.
     */
    public static MergeSchema servedSchema(ObjectMapper mapper) {
        OpenApiDocuments documents = OpenApiDocuments.load();
        ObjectNode joined = mapper.createObjectNode();
        joined.put("openapi", "3.0.0");
        ObjectNode schemas = joined.putObject("components").putObject("schemas");
        for (String path : documents.v3Paths()) {
            try {
                JsonNode document = mapper.readTree(documents.v3Document(path).orElseThrow());
                document.path("components").path("schemas").fields()
                        .forEachRemaining(entry -> schemas.set(entry.getKey(), entry.getValue()));
            } catch (IOException e) {
                throw new UncheckedIOException("the served OpenAPI document " + path + " does not parse", e);
            }
        }
        return OpenApiMergeSchema.of(joined);
    }

    public static String statusKey(ResourceDefinition def) {
        return def.apiVersion() + "/" + def.kind();
    }

    public MergeSchema schema() {
        return schema;
    }

    ObjectNode recordUpdate(ObjectNode old, ObjectNode updated, String fieldManager, String subresource) {
        return manager.recordUpdate(old, updated, fieldManager, subresource);
    }

    public ApplyResult apply(ObjectNode live, ObjectNode applied, String fieldManager, String subresource, boolean force) {
        return manager.apply(live, applied, fieldManager, subresource, force);
    }
}
