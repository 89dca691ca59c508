package dev.kumo.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The ports of one node's address that reach its agent on the host, gathered as the agent binds them (the kubelet
 * endpoint before it joins, cluster DNS after): each addition writes the node's one forwarding table again with all
 * of them ({@link NodeNetwork#forwardToHost}).
 */
final class NodeHostForwards {
    private final NodeNetwork network;
    private final int node;
    private final List<HostForward> forwards = new ArrayList<>();

    NodeHostForwards(NodeNetwork network, int node) {
        this.network = network;
        this.node = node;
    }

    /** Adds {@code more} to the node's forwards, in force when this returns. */
    synchronized void add(List<HostForward> more) {
        List<HostForward> all = new ArrayList<>(forwards);
        all.addAll(more);
        try {
            network.forwardToHost(node, all);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while forwarding node " + node + "'s ports " + more, e);
        }
        forwards.addAll(more);
    }
}
