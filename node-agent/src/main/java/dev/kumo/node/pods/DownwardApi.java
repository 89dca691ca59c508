package dev.kumo.node.pods;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kumo.apimachinery.meta.Meta;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The pod's metadata fields that the downward API exposes to env vars and volumes ({@code fieldRef}). */
public final class DownwardApi {
    private DownwardApi() {
    }

    /**
     * {@code metadata.name}, {@code .namespace}, {@code .uid}, {@code .labels['k']}, {@code .annotations['k']}, and
     * the whole {@code metadata.labels} / {@code metadata.annotations} as the kubelet writes them; empty for a path
     * outside metadata.
     */
    public static Optional<String> metadataField(ObjectNode pod, String path) {
        JsonNode metadata = pod.path("metadata");
        for (String map : new String[]{"labels", "annotations"}) {
            String prefix = "metadata." + map + "['";
            if (path.equals("metadata." + map)) {
                return Optional.of(formatMap(metadata.path(map)));
            }
            if (path.startsWith(prefix) && path.endsWith("']")) {
                return Optional.of(metadata.path(map).path(path.substring(prefix.length(), path.length() - 2))
                        .asText(""));
            }
        }
        return switch (path) {
            case "metadata.name" -> Optional.of(Meta.name(pod));
            case "metadata.namespace" -> Optional.of(Meta.namespace(pod));
            case "metadata.uid" -> Optional.of(Meta.uid(pod));
            default -> Optional.empty();
        };
    }

    /** Labels or annotations as {@code key="value"} lines, sorted by key (the kubelet's FormatMap). */
    static String formatMap(JsonNode map) {
        TreeMap<String, String> sorted = new TreeMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = map.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            sorted.put(field.getKey(), field.getValue().asText(""));
        }
        StringBuilder text = new StringBuilder();
        sorted.forEach((key, value) -> text.append(key).append('=')
                .append(TextNode.valueOf(value).toString()).append('\n'));
        return text.isEmpty() ? "" : text.substring(0, text.length() - 1);
    }
}
