package dev.kumo.node.network;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PodIpAllocatorTest {

    @Test
    void cidrsParseSplitAndContain() {
        Ipv4Cidr cluster = Ipv4Cidr.parse("10.244.0.0/16");
        assertThat(cluster.subnet(24, 0)).hasToString("10.244.0.0/24");
        assertThat(cluster.subnet(24, 255)).hasToString("10.244.255.0/24");
        assertThat(Ipv4Cidr.parse("10.128.0.0/9").subnet(24, 300)).hasToString("10.129.44.0/24");
        assertThat(cluster.contains(Ipv4Cidr.parseAddress("10.244.7.9"))).isTrue();
        assertThat(cluster.contains(Ipv4Cidr.parseAddress("10.245.0.1"))).isFalse();
        assertThatThrownBy(() -> cluster.subnet(24, 256)).hasMessageContaining("256 /24 subnets");
        assertThatThrownBy(() -> Ipv4Cidr.parse("10.244.0.1/16")).hasMessageContaining("host bits");
        assertThatThrownBy(() -> Ipv4Cidr.parseAddress("10.244.0.256")).hasMessageContaining("not an IPv4");
        assertThatThrownBy(() -> Ipv4Cidr.parseAddress("10.244.01.1")).hasMessageContaining("not an IPv4");
    }

    @Test
    void handsOutHostAddressesPastTheGatewayOnePerPod() {
        PodIpAllocator ipam = new PodIpAllocator(Ipv4Cidr.parse("10.244.1.0/24"));

        assertThat(ipam.allocate("a")).isEqualTo("10.244.1.2");
        assertThat(ipam.allocate("b")).isEqualTo("10.244.1.3");
        assertThat(ipam.allocate("a")).as("the same pod keeps its address").isEqualTo("10.244.1.2");
        assertThat(ipam.allocated()).isEqualTo(2);
    }

    @Test
    void releasedAddressesAreReusedOnlyAfterTheRestRoundRobin() {
        PodIpAllocator ipam = new PodIpAllocator(Ipv4Cidr.parse("10.244.1.0/29")); // .2 to .6
        ipam.allocate("a");
        ipam.allocate("b");
        ipam.release("a");

        assertThat(ipam.allocate("c")).isEqualTo("10.244.1.4");
        assertThat(ipam.allocate("d")).isEqualTo("10.244.1.5");
        assertThat(ipam.allocate("e")).isEqualTo("10.244.1.6");
        assertThat(ipam.allocate("f")).as("wraps around to the freed address").isEqualTo("10.244.1.2");
        assertThatThrownBy(() -> ipam.allocate("g"))
                .hasMessage("failed to allocate for range 0: no IP addresses available in range set: "
                        + "10.244.1.2-10.244.1.6");
    }

    @Test
    void aFullSlash24HoldsTwoHundredFiftyThreePods() {
        PodIpAllocator ipam = new PodIpAllocator(Ipv4Cidr.parse("10.244.3.0/24"));
        Set<String> addresses = new HashSet<>();
        for (int i = 0; i < 253; i++) {
            addresses.add(ipam.allocate("pod-" + i));
        }
        assertThat(addresses).hasSize(253).doesNotContain("10.244.3.0", "10.244.3.1", "10.244.3.255");
    }

    @Test
    void adoptsAddressesPodsAlreadyHaveUnlessTakenOrOutside() {
        PodIpAllocator ipam = new PodIpAllocator(Ipv4Cidr.parse("10.244.1.0/24"));

        assertThat(ipam.reserve("a", "10.244.1.77")).isTrue();
        assertThat(ipam.reserve("a", "10.244.1.77")).as("idempotent").isTrue();
        assertThat(ipam.reserve("b", "10.244.1.77")).as("taken").isFalse();
        assertThat(ipam.reserve("b", "10.244.2.5")).as("another node's CIDR").isFalse();
        assertThat(ipam.reserve("b", "10.244.1.1")).as("the gateway").isFalse();
        assertThat(ipam.reserve("b", "10.244.1.255")).as("broadcast").isFalse();
        assertThat(ipam.addressOf("a")).contains("10.244.1.77");
        assertThat(ipam.allocate("a")).isEqualTo("10.244.1.77");
    }
}
