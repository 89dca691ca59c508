package dev.kumo.local;

import dev.kumo.cloud.local.LocalInstanceRecord;
import dev.kumo.cloud.local.NodeAddressing;
import dev.kumo.local.instances.AgentLauncher;
import dev.kumo.local.instances.InstanceNodeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Local instances as real nodes of the cluster's {@link CriHost}, like its static cri nodes: the instance in slot s
 * joins the node network as node 129+s ({@link NodeAddressing#poolNode}: its own namespace, the address and pod CIDR
 * its record holds, routes to and from every other node and the host), then a {@link CriNode} starts in it with the
 * instance type's capacity and the pool's labels and taints. Stopping an instance (terminated, or the cluster
 * stopping) is the machine going away: the agent stops, containerd stops with its pods, the namespace and the routes
 * to its pod CIDR are removed. The Node stays, silent, until the cloud node controller deletes it.
 */
final class CriAgentLauncher implements AgentLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(CriAgentLauncher.class);

    private final CriHost host;
    private final Supplier<String> bootstrapToken;
    private final Map<String, CriNode> nodes = new ConcurrentHashMap<>();

    /** @param bootstrapToken the token nodes join with, asked for at each start (it may be made on first use) */
    CriAgentLauncher(CriHost host, Supplier<String> bootstrapToken) {
        this.host = host;
        this.bootstrapToken = bootstrapToken;
    }

    @Override
    public void start(LocalInstanceRecord instance) throws Exception {
        if (nodes.containsKey(instance.name())) {
            return; // started already
        }
        NodeNetwork network = host.network();
        int number = NodeAddressing.poolNode(instance.slot());
        if (!instance.address().equals(network.address(number))
                || !instance.podCidr().equals(network.podCidr(number))) {
            throw new IllegalStateException("instance " + instance.name() + " was launched on another node network"
                    + " (address " + instance.address() + ", pod CIDR " + instance.podCidr() + "; slot "
                    + instance.slot() + " is " + network.address(number) + " and " + network.podCidr(number)
                    + " on this cluster's): terminate it");
        }
        network.add(number);
        CriNode node;
        try {
            node = CriNode.start(host, bootstrapToken.get(), number, InstanceNodeConfig.of(instance));
        } catch (Exception e) {
            try {
                network.remove(number);
            } catch (IOException | InterruptedException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        nodes.put(instance.name(), node);
        try {
            host.listSockets(List.of(node));
        } catch (IOException e) {
            LOG.atWarn().setCause(e).addKeyValue("instance", instance.name())
                    .log("could not list the node's containerd for ./kumo image load");
        }
        LOG.atInfo().addKeyValue("instance", instance.name()).addKeyValue("namespace", network.namespace(number))
                .addKeyValue("address", instance.address()).addKeyValue("podCIDR", instance.podCidr())
                .addKeyValue("containerdPid", node.containerd().pid()).log("local instance runs as a cri node");
    }

    @Override
    public void stop(String name) {
        CriNode node = nodes.remove(name);
        if (node == null) {
            return;
        }
        node.close();
        try {
            host.unlistSocket(name);
        } catch (IOException e) {
            LOG.atWarn().setCause(e).addKeyValue("instance", name).log("could not unlist the node's containerd");
        }
        try {
            host.network().remove(node.number());
        } catch (IOException e) {
            LOG.atError().setCause(e).addKeyValue("instance", name)
                    .addKeyValue("namespace", host.network().namespace(node.number()))
                    .log("could not remove the instance's network namespace");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        List.copyOf(nodes.keySet()).forEach(this::stop);
    }
}
