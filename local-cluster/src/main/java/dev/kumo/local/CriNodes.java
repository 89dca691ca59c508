package dev.kumo.local;

import dev.kumo.cloud.local.NodeAddressing;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.image.BusyboxImages;
import dev.kumo.node.main.HostFacts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

/**
 * The local cluster's static real nodes on its {@link CriHost}: node i ({@code <prefix>i}) is node i of the node
 * network, a {@link CriNode} with this machine's capacity, whose agent serves its pods' cluster DNS.
 * {@link #close} stops the nodes (their sandboxes removed, each containerd stopped); the host removes the network.
 */
final class CriNodes implements AutoCloseable {
    private final List<CriNode> nodes = new ArrayList<>();

    private CriNodes() {
    }

    /** Starts {@code count} real nodes named {@code <prefix>1..count}, joined through {@code bootstrapToken}. */
    static CriNodes start(CriHost host, String bootstrapToken, int count, String prefix, Consumer<String> progress)
            throws Exception {
        if (count < 1 || count > NodeAddressing.STATIC_NODES) {
            throw new IllegalArgumentException("the local cluster runs 1 to " + NodeAddressing.STATIC_NODES
                    + " static cri nodes, not " + count);
        }
        CriNodes nodes = new CriNodes();
        try {
            nodes.startAll(host, bootstrapToken, count, prefix, progress);
            return nodes;
        } catch (Exception e) {
            nodes.close();
            throw e;
        }
    }

    private void startAll(CriHost host, String bootstrapToken, int count, String prefix, Consumer<String> progress)
            throws Exception {
        NodeNetwork network = host.network();
        for (int i = 1; i <= count; i++) {
            network.add(i);
        }
        NodeCapacity capacity = HostFacts.capacity(host.directory());
        // nodes start side by side: containerd's start and the image import take seconds each
        try (ExecutorService starting = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<CriNode>> started = new ArrayList<>();
            for (int i = 1; i <= count; i++) {
                int number = i;
                started.add(starting.submit(() -> CriNode.start(host, bootstrapToken, number,
                        NodeConfig.of(prefix + number, network.address(number), network.podCidr(number), capacity))));
            }
            ExecutionException failure = null;
            for (Future<CriNode> node : started) {
                try {
                    CriNode up = node.get();
                    nodes.add(up);
                    progress.accept("node " + up.name() + " ready: containerd pid " + up.containerd().pid() + " in "
                            + network.namespace(up.number()) + ", images " + BusyboxImages.BUSYBOX + " and "
                            + BusyboxImages.PAUSE);
                } catch (ExecutionException e) {
                    failure = failure == null ? e : failure;
                }
            }
            if (failure != null) {
                throw failure.getCause() instanceof Exception cause ? cause : failure;
            }
        }
        host.listSockets(nodes);
    }

    /** Silences one node's agent (its pods keep running in containerd, as on a machine whose kubelet died). */
    void stop(String name) {
        nodes.stream().filter(node -> node.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no node " + name)).stopAgent();
    }

    @Override
    public void close() {
        // agents first, so that none works against a containerd that is stopping
        nodes.forEach(CriNode::stopAgent);
        nodes.forEach(CriNode::close);
    }
}
