package dev.kumo.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

/**
 * What every namespace holds from its creation, as in Kubernetes: ConfigMap {@code kube-root-ca.crt} (and ServiceAccount
 * {@code default}). Tests that count a fresh namespace's config maps count the others.
 */
public final class NamespaceDefaults {
    public static final String ROOT_CA = "kube-root-ca.crt";

    private NamespaceDefaults() {
    }

    /** The items of a list other than the namespace's own kube-root-ca.crt. */
    public static List<JsonNode> own(JsonNode items) {
        List<JsonNode> own = new ArrayList<>();
        items.forEach(item -> {
            if (!ROOT_CA.equals(item.path("metadata").path("name").asText())) {
                own.add(item);
            }
        });
        return own;
    }

    /** Names (or {@code kind/name} lines) other than kube-root-ca.crt. */
    public static List<String> own(List<String> names) {
        return names.stream().filter(name -> !name.equals(ROOT_CA) && !name.endsWith("/" + ROOT_CA)).toList();
    }
}
