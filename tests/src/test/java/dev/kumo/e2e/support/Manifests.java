package dev.kumo.e2e.support;

import java.util.Map;
import java.util.stream.Collectors;

/** YAML manifests of the kinds the tests create, as a user would write them for {@code kubectl -f}. */
public final class Manifests {
    private Manifests() {
    }

    public static String configMap(String namespace, String name, Map<String, String> labels,
                                   Map<String, String> data) {
        return """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                  labels: %s
                data: %s
                """.formatted(quote(name), quote(namespace), flowMap(labels), flowMap(data));
    }

    public static String pod(String namespace, String name, Map<String, String> labels) {
        return """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: %s
                  namespace: %s
                  labels: %s
                spec:
                  containers:
                  - name: app
                    image: registry.k8s.io/pause:3.9
                """.formatted(quote(name), quote(namespace), flowMap(labels));
    }

    public static String deployment(String namespace, String name, int replicas) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                      - name: web
                        image: nginx:1.27
                """.formatted(quote(name), quote(namespace), replicas, quote(name), quote(name));
    }

    /** A YAML flow map with every key and value quoted, e.g. {@code {"a": "1"}}. */
    private static String flowMap(Map<String, String> map) {
        return map.entrySet().stream().map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String quote(String value) {
        return '"' + value.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }
}
