package dev.kumo.cloud.local;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NodeAddressingTest {

    @Test
    void poolSlotsAreTheNodesAfterTheStaticOnesUpToTheEndOfTheNodeNetwork() {
        NodeAddressing local = NodeAddressing.parse("10.250.0:10.244");
        assertThat(local).isEqualTo(new NodeAddressing("10.250.0", "10.244"));
        assertThat(local.toString()).isEqualTo("10.250.0:10.244");
        assertThat(local.address(1)).isEqualTo("10.250.0.2");
        assertThat(local.podCidr(1)).isEqualTo("10.244.0.0/24");
        assertThat(NodeAddressing.poolNode(0)).isEqualTo(129);
        assertThat(local.address(NodeAddressing.poolNode(0))).isEqualTo("10.250.0.130");
        assertThat(local.podCidr(NodeAddressing.poolNode(0))).as("clear of the static nodes' 10.244.0-127")
                .isEqualTo("10.244.128.0/24");
        int last = NodeAddressing.poolSlots() - 1;
        assertThat(local.address(NodeAddressing.poolNode(last))).isEqualTo("10.250.0.251");
        assertThat(local.podCidr(NodeAddressing.poolNode(last))).isEqualTo("10.244.249.0/24");
        assertThatThrownBy(() -> NodeAddressing.poolNode(last + 1)).hasMessage("a pool slot is 0 to 121, not 122");
    }

    @Test
    void refusesWhatIsNotANodeNetwork() {
        assertThatThrownBy(() -> NodeAddressing.parse("10.250.0")).hasMessageContaining("A.B.C:D.E");
        assertThatThrownBy(() -> NodeAddressing.parse("10.250:10.244")).hasMessageContaining("A.B.C:D.E");
    }
}
