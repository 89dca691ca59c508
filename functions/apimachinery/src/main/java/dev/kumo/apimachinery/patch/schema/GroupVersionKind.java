package dev.kumo.apimachinery.patch.schema;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The type of a Kubernetes object: API group (empty for the core group), version and kind.
 */
public record GroupVersionKind(String group, String version, String kind) {

    public GroupVersionKind {
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(kind, "kind");
    }

    /** Splits an {@code apiVersion} such as {@code apps/v1} or {@code v1} (core group). */
    public static GroupVersionKind of(String apiVersion, String kind) {
        int slash = apiVersion.indexOf('/');
        return slash < 0
                ? new GroupVersionKind("", apiVersion, kind)
                : new GroupVersionKind(apiVersion.substring(0, slash), apiVersion.substring(slash + 1), kind);
    }

    /** The type named by an object's {@code apiVersion} and {@code kind}, if it names both. */
    public static Optional<GroupVersionKind> ofObject(JsonNode object) {
        if (object == null) {
            return Optional.empty();
        }
        JsonNode apiVersion = object.get("apiVersion");
        JsonNode kind = object.get("kind");
        if (apiVersion == null || !apiVersion.isTextual() || kind == null || !kind.isTextual()) {
            return Optional.empty();
        }
        return Optional.of(of(apiVersion.asText(), kind.asText()));
    }

    /** The {@code apiVersion} string: {@code group/version}, or {@code version} for the core group. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    @Override
    public String toString() {
        return apiVersion() + ", Kind=" + kind;
    }
}
