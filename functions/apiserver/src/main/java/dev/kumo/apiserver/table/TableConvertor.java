package dev.kumo.apiserver.table;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns objects into a {@code meta.k8s.io/v1 Table}, which {@code kubectl get} prints as is. Name comes first and
 * Age last, as in Kubernetes' own printers, unless the columns place it ({@link TableColumn#AGE}).
 */
public final class TableConvertor {
    private final List<TableColumn> columns;
    private final boolean withAge;

    public TableConvertor(List<TableColumn> columns) {
        this(columns, true);
    }

    private TableConvertor(List<TableColumn> columns, boolean age) {
        this.columns = List.copyOf(columns);
        this.withAge = age;
    }

    /** Name and Age, for kinds without columns of their own. */
    public static TableConvertor defaultColumns() {
        return new TableConvertor(List.of());
    }

    /**
     * Name and Created At (RFC 3339), kube-apiserver's default table for kinds without a printer of their own,
     * such as Roles and ClusterRoles, and LimitRange's printer.
     */
    public static TableConvertor nameAndCreatedAt() {
        return new TableConvertor(List.of(new TableColumn("Created At", "date", "", "CreationTimestamp is a "
                + "timestamp representing the server time when this object was created.", 0,
                o -> o.path("metadata").path("creationTimestamp").asText(""))), false);
    }

    /** What a row carries besides its cells ({@code includeObject}). */
    public enum IncludeObject { NONE, METADATA, OBJECT }

    public ObjectNode toTable(ObjectMapper mapper, List<ObjectNode> objects, ObjectNode listMetadata,
                              IncludeObject include, Clock clock) {
        TableColumn age = new TableColumn(TableColumn.AGE.name(), TableColumn.AGE.type(), TableColumn.AGE.format(),
                TableColumn.AGE.description(), 0,
                o -> Ages.since(o.path("metadata").path("creationTimestamp").asText(""), clock));
        List<TableColumn> all = new ArrayList<>();
        all.add(new TableColumn("Name", "string", "name",
                "Name must be unique within a namespace. More info: "
                        + "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names", 0,
                o -> o.path("metadata").path("name").asText()));
        columns.forEach(column -> all.add(column == TableColumn.AGE ? age : column));
        if (withAge && columns.stream().noneMatch(column -> column == TableColumn.AGE)) {
            all.add(age);
        }

        ObjectNode table = mapper.createObjectNode();
        table.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        table.set("metadata", listMetadata);
        ArrayNode definitions = table.putArray("columnDefinitions");
        for (TableColumn column : all) {
            definitions.addObject().put("name", column.name()).put("type", column.type())
                    .put("format", column.format()).put("description", column.description())
                    .put("priority", column.priority());
        }
        ArrayNode rows = table.putArray("rows");
        for (ObjectNode object : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            for (TableColumn column : all) {
                cells.add(mapper.valueToTree(column.cell().apply(object)));
            }
            switch (include) {
                case OBJECT -> row.set("object", object);
                case METADATA -> {
                    ObjectNode partial = row.putObject("object");
                    partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
                    partial.set("metadata", object.path("metadata").deepCopy());
                }
                case NONE -> {
                }
            }
        }
        return table;
    }
}
