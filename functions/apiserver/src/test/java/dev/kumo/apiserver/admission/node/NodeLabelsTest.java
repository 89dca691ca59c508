package dev.kumo.apiserver.admission.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which of its own labels a node may set (Kubernetes' kubelet label set). */
class NodeLabelsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static JsonNode labels(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void modifiedNamesAddedRemovedAndChangedKeysOnly() {
        Set<String> modified = NodeLabels.modified(labels("{\"same\":\"1\",\"changed\":\"2\",\"added\":\"3\"}"),
                labels("{\"same\":\"1\",\"changed\":\"x\",\"removed\":\"4\"}"));

        assertThat(modified).containsExactlyInAnyOrder("changed", "added", "removed");
        assertThat(NodeLabels.modified(labels("{\"a\":\"1\"}"), null)).containsExactly("a");
    }

    @Test
    void theKubeletsOwnLabelsAndForeignDomainsAreAllowed() {
        assertThat(NodeLabels.forbidden(Set.of("kubernetes.io/hostname", "kubernetes.io/os", "kubernetes.io/arch",
                "topology.kubernetes.io/zone", "topology.kubernetes.io/region", "node.kubernetes.io/instance-type",
                "beta.kubernetes.io/arch", "failure-domain.beta.kubernetes.io/zone", "kubelet.kubernetes.io/x",
                "team.node.kubernetes.io/pool", "example.com/role", "plain"))).isEmpty();
    }

    @Test
    void restrictedAndUnknownKubernetesLabelsAreForbiddenAndSorted() {
        assertThat(NodeLabels.forbidden(Set.of("node-restriction.kubernetes.io/trusted",
                "example.node-restriction.kubernetes.io/x", "kubernetes.io/role", "node-role.kubernetes.io/control",
                "k8s.io/x", "sub.k8s.io/y", "example.com/fine")))
                .containsExactly("example.node-restriction.kubernetes.io/x", "k8s.io/x", "kubernetes.io/role",
                        "node-restriction.kubernetes.io/trusted", "node-role.kubernetes.io/control", "sub.k8s.io/y");
    }
}
