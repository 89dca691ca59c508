package dev.kumo.local.bench;

/** A typical small pod, as a Deployment's ReplicaSet would create it. */
final class Pods {
    private Pods() {
    }

    static String pod(String name, int index) {
        return """
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"%s","namespace":"default",
                 "labels":{"app":"bench","pod-template-hash":"5d8f7c9b4"},"annotations":{"index":"%d"}},
                 "spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"containerPort":80}],
                 "resources":{"requests":{"cpu":"100m","memory":"128Mi"},"limits":{"memory":"256Mi"}},
                 "env":[{"name":"MODE","value":"bench"}]}]}}
                """.formatted(name, index);
    }
}
