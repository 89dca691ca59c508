package dev.kumo.apiserver.rest;

import dev.kumo.apimachinery.kubelet.KubeletApi;

/** Nodes whose kubelet endpoint the API server cannot use, for the tests of what it relays to nodes. */
final class KubeletNodes {
    private KubeletNodes() {
    }

    /** A node that serves no kubelet endpoint (port 0), as simulated nodes are. */
    static void withoutEndpoint(TestApi api, String name, String address) {
        api.call("POST", "/api/v1/nodes", """
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "%s"},
                 "status": {"addresses": [{"type": "InternalIP", "address": "%s"}],
                            "daemonEndpoints": {"kubeletEndpoint": {"Port": 0}}}}""".formatted(name, address));
    }

    /** A node that published a certificate and names port 1 of 127.0.0.1, where nothing listens. */
    static void unreachable(TestApi api, String name) {
        api.call("POST", "/api/v1/nodes", """
                {"apiVersion": "v1", "kind": "Node", "metadata": {"name": "%s",
                  "annotations": {"%s": "%s"}},
                 "status": {"addresses": [{"type": "Hostname", "address": "%s"},
                                          {"type": "InternalIP", "address": "127.0.0.1"}],
                            "daemonEndpoints": {"kubeletEndpoint": {"Port": 1}}}}"""
                .formatted(name, KubeletApi.SERVING_CERTIFICATE_ANNOTATION, "ab".repeat(32), name));
    }
}
