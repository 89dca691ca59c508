package dev.kumo.local;

import dev.kumo.cloud.local.NodeAddressing;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.proxy.HostCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nodes join and leave the node network one at a time, for real (root, {@code ip}): a node's pod CIDR is reachable
 * from the host and from every other node, whichever joined first, also when two join at once; one that leaves takes
 * its namespace and every route to its pod CIDR with it. Reachability is a ping of an address of the pod CIDR that
 * the node holds itself (no containerd needed). Its own tag and addresses, so that it runs beside a cluster.
 */
@Tag("containerd")
class NodeNetworkJoinTest {
    private static final NodeNetwork NETWORK = NodeNetwork.parse("kumou:10.254.0:10.248");
    private static final int POOL_NODE = NodeAddressing.poolNode(0);

    @BeforeEach
    void needsRoot() throws Exception {
        CriPrerequisites.require();
        NETWORK.create();
    }

    @AfterEach
    void removeNetwork() throws Exception {
        if (NodeRuntimeChoice.missingForCri().isEmpty()) {
            NETWORK.remove();
        }
    }

    @Test
    void aNodeJoiningLaterIsRoutedBothWaysAndLeavesNoRouteBehind() throws Exception {
        NETWORK.add(1);
        NETWORK.add(2);
        NETWORK.add(POOL_NODE);
        assertThat(NETWORK.nodes()).containsExactly(1, 2, POOL_NODE);
        assertThat(NETWORK.address(POOL_NODE)).isEqualTo("10.254.0.130");
        for (int node : NETWORK.nodes()) {
            holdPodAddress(node);
        }
        assertThat(ip("", "route", "show", NETWORK.podCidr(POOL_NODE)))
                .contains("via " + NETWORK.address(POOL_NODE) + " dev " + NETWORK.bridge());
        assertThat(ping("", POOL_NODE)).as("the host reaches the pool node's pod CIDR").isTrue();
        for (int node : List.of(1, 2)) {
            assertThat(ping(NETWORK.namespace(node), POOL_NODE)).as("node %d reaches it", node).isTrue();
            assertThat(ping(NETWORK.namespace(POOL_NODE), node)).as("it reaches node %d", node).isTrue();
        }

        NETWORK.remove(POOL_NODE);
        assertThat(NETWORK.nodes()).containsExactly(1, 2);
        assertThat(ip("", "netns", "list")).doesNotContain(NETWORK.namespace(POOL_NODE));
        assertThat(ip("", "route", "show")).doesNotContain(NETWORK.podNet() + ".128.");
        assertThat(ip(NETWORK.namespace(1), "route", "show")).doesNotContain(NETWORK.podNet() + ".128.")
                .contains(NETWORK.podCidr(2) + " via " + NETWORK.address(2));
        assertThat(ping(NETWORK.namespace(1), 2)).as("the others still reach each other").isTrue();
        NETWORK.remove(POOL_NODE); // gone already: no error
    }

    @Test
    void nodesJoiningAtOnceRouteToEachOther() throws Exception {
        NETWORK.add(1);
        List<Integer> joining = List.of(POOL_NODE, POOL_NODE + 1, POOL_NODE + 2);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Void>> joins = joining.stream().map(node -> executor.submit(() -> {
                NETWORK.add(node);
                return (Void) null;
            })).toList();
            for (Future<Void> join : joins) {
                join.get();
            }
        }
        for (int node : NETWORK.nodes()) {
            holdPodAddress(node);
        }
        for (int from : NETWORK.nodes()) {
            for (int to : NETWORK.nodes()) {
                if (from != to) {
                    assertThat(ping(NETWORK.namespace(from), to)).as("node %d reaches node %d's pods", from, to)
                            .isTrue();
                }
            }
        }
    }

    /** The node holds the first address of its pod CIDR (as its pod bridge would): something to ping. */
    private static void holdPodAddress(int node) throws Exception {
        ip(NETWORK.namespace(node), "addr", "add", podAddress(node) + "/32", "dev", "lo");
    }

    private static String podAddress(int node) {
        return NETWORK.podCidr(node).replace(".0/24", ".1");
    }

    private static boolean ping(String fromNamespace, int node) throws Exception {
        return new HostCommand(fromNamespace).run(List.of(BusyboxImages.DEBIAN_BUSYBOX.toString(), "ping", "-c", "1",
                "-W", "2", podAddress(node)), "").succeeded();
    }

    private static String ip(String namespace, String... args) throws Exception {
        List<String> argv = new java.util.ArrayList<>(List.of("ip"));
        if (!namespace.isEmpty()) {
            argv.addAll(List.of("-n", namespace));
        }
        argv.addAll(List.of(args));
        HostCommand.Result result = new HostCommand("").run(argv, "");
        assertThat(result.succeeded()).as("%s: %s", argv, result.output()).isTrue();
        return result.output();
    }
}
