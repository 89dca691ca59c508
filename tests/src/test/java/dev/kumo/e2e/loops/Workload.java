package dev.kumo.e2e.loops;

/** The Deployments and Services the loops' tests apply, as a user would write them for {@code kubectl apply -f -}. */
final class Workload {
    private Workload() {
    }

    /**
     * A Deployment {@code name} of {@code replicas} pods labelled {@code app: name}, image {@code image}, one
     * container with a port named {@code http} (8080) and a 100m cpu request; {@code strategy} and {@code podSpec}
     * are extra YAML lines at spec and pod spec level (indented by the caller's text block, may be empty).
     */
    static String deployment(String namespace, String name, int replicas, String image, String strategy,
                             String podSpec) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  replicas: %3$d
                  selector:
                    matchLabels: {app: %1$s}
                %5$s
                  template:
                    metadata:
                      labels: {app: %1$s}
                    spec:
                %6$s
                      containers:
                      - name: web
                        image: %4$s
                        ports:
                        - {name: http, containerPort: 8080}
                        resources:
                          requests: {cpu: 100m}
                """.formatted(name, namespace, replicas, image, indent(strategy, 2), indent(podSpec, 6));
    }

    /** A ClusterIP Service {@code name} selecting {@code app: name}, port 80 to the pods' port named http. */
    static String service(String namespace, String name) {
        return """
                apiVersion: v1
                kind: Service
                metadata:
                  name: %1$s
                  namespace: %2$s
                spec:
                  selector: {app: %1$s}
                  ports:
                  - {name: web, port: 80, targetPort: http}
                """.formatted(name, namespace);
    }

    private static String indent(String yaml, int spaces) {
        return yaml.isBlank() ? "" : yaml.stripIndent().strip().indent(spaces).stripTrailing();
    }
}
