package dev.kumo.local.bench;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FakeNodesTest {
    @Test
    void renewalsInFlightGrowWithTheNodesSoThatASweepStaysShort() {
        assertThat(FakeNodes.renewers(100)).isEqualTo(8);
        assertThat(FakeNodes.renewers(500)).isEqualTo(25);
        assertThat(FakeNodes.renewers(501)).isEqualTo(26);
    }
}
