package dev.kumo.apiserver.table;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.function.Function;

/** One column of {@code kubectl get}: its definition and how to compute the cell from an object. */
public record TableColumn(String name, String type, String format, String description, int priority,
                          Function<ObjectNode, Object> cell) {

    /**
     * Where the Age column goes, for kinds whose Kubernetes printer does not put it last (Age precedes the wide
     * columns, and a node's Version); the convertor computes its cells. Without it, Age is the last column.
     */
    public static final TableColumn AGE = new TableColumn("Age", "string", "", "CreationTimestamp is a timestamp "
            + "representing the server time when this object was created.", 0, object -> "");

    public static TableColumn of(String name, String description, Function<ObjectNode, Object> cell) {
        return new TableColumn(name, "string", "", description, 0, cell);
    }

    public static TableColumn wide(String name, String description, Function<ObjectNode, Object> cell) {
        return new TableColumn(name, "string", "", description, 1, cell);
    }

    public static TableColumn integer(String name, String description, Function<ObjectNode, Object> cell) {
        return new TableColumn(name, "integer", "", description, 0, cell);
    }
}
