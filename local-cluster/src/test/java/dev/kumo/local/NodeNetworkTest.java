package dev.kumo.local;

import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The names and addresses of the cri nodes' network, its forwards' rules, and the runtime choice's words. */
class NodeNetworkTest {

    @Test
    void nodeIGetsItsNamespaceAddressAndPodCidr() {
        NodeNetwork local = NodeNetwork.LOCAL;
        assertThat(local.bridge()).isEqualTo("kumo-nodes");
        assertThat(local.hostAddress()).isEqualTo("10.250.0.1");
        assertThat(local.namespace(2)).isEqualTo("kumo-node-2");
        assertThat(local.address(2)).isEqualTo("10.250.0.3");
        assertThat(local.podCidr(2)).isEqualTo("10.244.1.0/24");
        assertThat(local.clusterCidr()).isEqualTo("10.244.0.0/16");
    }

    @Test
    void parsesWhatTestsPassAndRefusesNamesTooLongForAnInterface() {
        NodeNetwork tests = NodeNetwork.parse("kumoe:10.251.0:10.245");
        assertThat(tests).isEqualTo(new NodeNetwork("kumoe", "10.251.0", "10.245"));
        assertThat(tests.toString()).isEqualTo("kumoe:10.251.0:10.245");
        assertThat(tests.podCidr(1)).isEqualTo("10.245.0.0/24");
        assertThatThrownBy(() -> NodeNetwork.parse("kumo:10.250:10.244"))
                .hasMessageContaining("TAG:A.B.C:D.E");
        assertThatThrownBy(() -> NodeNetwork.parse("toolongtag:10.250.0:10.244"))
                .hasMessageContaining("15 characters");
    }

    @Test
    void theRuntimeAskedForIsTakenAndAnUnknownOneRefused() throws Exception {
        assertThat(NodeRuntimeChoice.decide("simulated")).isEqualTo(new NodeRuntimeChoice("simulated", "asked for"));
        assertThat(NodeRuntimeChoice.decide("process")).isEqualTo(new NodeRuntimeChoice("process", "asked for"));
        NodeRuntimeChoice auto = NodeRuntimeChoice.decide("auto");
        if (NodeRuntimeChoice.missingForCri().isEmpty()) {
            assertThat(auto.runtime()).isEqualTo("cri");
        } else {
            assertThat(auto.runtime()).isEqualTo("process");
            assertThat(auto.reason()).startsWith("cri needs ");
            assertThatThrownBy(() -> NodeRuntimeChoice.decide("cri")).hasMessageStartingWith("--runtime cri needs ");
        }
        assertThatThrownBy(() -> NodeRuntimeChoice.decide("docker"))
                .hasMessage("a node runtime is cri, process, simulated or auto, not 'docker'");
    }
}
