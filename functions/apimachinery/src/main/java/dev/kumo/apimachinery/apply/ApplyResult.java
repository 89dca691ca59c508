package dev.kumo.apimachinery.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The outcome of a server-side apply. */
public sealed interface ApplyResult {

    /** The object to store, with its {@code metadata.managedFields} updated. */
    record Applied(ObjectNode object) implements ApplyResult {
    }

    /**
     * The apply would change fields other managers own, and was not forced (the API server answers
     * 409 Conflict with one cause per conflict).
     */
    record Conflicted(List<Conflict> conflicts) implements ApplyResult {

        public Conflicted {
            conflicts = List.copyOf(conflicts);
        }

        /**
         * Kubernetes' message, e.g. {@code Apply failed with 1 conflict: conflict with "kubectl" using apps/v1:
         * .spec.replicas}; several conflicts are listed per manager, one path a line.
         */
        public String message() {
            if (conflicts.size() == 1) {
                Conflict only = conflicts.get(0);
                return "Apply failed with 1 conflict: " + only.message() + ": " + only.field();
            }
            Map<String, List<String>> byManager = new LinkedHashMap<>();
            conflicts.forEach(c -> byManager.computeIfAbsent(c.managerDescription(), m -> new ArrayList<>())
                    .add(c.field()));
            List<String> lines = new ArrayList<>();
            byManager.forEach((manager, paths) -> {
                lines.add("conflicts with " + manager + ":");
                paths.forEach(path -> lines.add("- " + path));
            });
            return "Apply failed with " + conflicts.size() + " conflicts: " + String.join("\n", lines);
        }
    }
}
