package dev.kumo.node;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.resource.Quantity;
import dev.kumo.node.cri.CriClient;
import dev.kumo.node.cri.CriRuntime;
import dev.kumo.node.network.Ipv4Cidr;
import dev.kumo.node.network.PodIpAllocator;
import dev.kumo.node.pods.PodEvents;
import dev.kumo.node.pods.PodRuntime;
import dev.kumo.node.process.ProcessRuntime;
import dev.kumo.node.simulated.SimulatedRuntime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;

/**
 * Which runtime runs a node's pods: {@code simulated} (no processes; for simulated nodes), {@code process} (plain
 * processes of the host) or {@code cri}
 * (containerd through its CRI socket, with the CNI configuration directory containerd reads, the agent's state
 * directory, the name of the node's pod bridge, the cluster DNS address given to pods ("" for none) and whether the
 * pod bridge masquerades what leaves the pod CIDR).
 */
public sealed interface RuntimeConfig {
    /** containerd's socket where a distribution's containerd listens. */
    Path DEFAULT_CRI_SOCKET = Path.of("/run/containerd/containerd.sock");

    /** {@code simulated} or {@code cri}. */
    String name();

    /** {@code status.nodeInfo.containerRuntimeVersion} (asks the runtime where there is one). */
    String runtimeVersion();

    /** Makes the node's runtime for the pod CIDR the node gets. */
    NodeAgent.RuntimeFactory factory(NodeConfig node, Clock clock);

    record Simulated() implements RuntimeConfig {
        @Override
        public String name() {
            return "simulated";
        }

        @Override
        public String runtimeVersion() {
            return SimulatedRuntime.VERSION;
        }

        @Override
        public NodeAgent.RuntimeFactory factory(NodeConfig node, Clock clock) {
            return podCidr -> new SimulatedRuntime(new PodIpAllocator(Ipv4Cidr.parse(podCidr)), clock);
        }
    }

    /**
     * Containers' commands as plain processes of the host (no images, no isolation, no cgroups, the host's network):
     * for machines without containerd or root. Pods' scratch directories and logs under {@code stateDir}.
     */
    record Process(Path stateDir) implements RuntimeConfig {
        @Override
        public String name() {
            return "process";
        }

        @Override
        public String runtimeVersion() {
            return ProcessRuntime.VERSION;
        }

        @Override
        public NodeAgent.RuntimeFactory factory(NodeConfig node, Clock clock) {
            return new NodeAgent.RuntimeFactory() {
                @Override
                public PodRuntime create(String podCidr) {
                    return new ProcessRuntime(node.address(), stateDir, clock);
                }

                @Override
                public PodRuntime create(String podCidr, KubeClient client, PodEvents events) {
                    return new ProcessRuntime(node.address(), stateDir, clock, events);
                }
            };
        }
    }

    record Cri(Path socket, Path cniConfDir, Path stateDir, String bridge, String clusterDns, boolean ipMasq)
            implements RuntimeConfig {
        /** A node alone: no cluster DNS for its pods, their traffic leaving the pod CIDR masqueraded. */
        public Cri(Path socket, Path cniConfDir, Path stateDir, String bridge) {
            this(socket, cniConfDir, stateDir, bridge, "", true);
        }

        @Override
        public String name() {
            return "cri";
        }

        @Override
        public String runtimeVersion() {
            try (CriClient client = new CriClient(socket)) {
                var version = client.version();
                return version.getRuntimeName() + "://" + version.getRuntimeVersion();
            }
        }

        @Override
        public NodeAgent.RuntimeFactory factory(NodeConfig node, Clock clock) {
            CriRuntime.Options options = new CriRuntime.Options(socket, cniConfDir, stateDir, bridge, node.address(),
                    Quantity.parse(node.capacity().memory()).value(), clusterDns, ipMasq);
            return new NodeAgent.RuntimeFactory() {
                @Override
                public PodRuntime create(String podCidr) {
                    return create(podCidr, null);
                }

                @Override
                public PodRuntime create(String podCidr, KubeClient client) {
                    return create(podCidr, client, PodEvents.NONE);
                }

                @Override
                public PodRuntime create(String podCidr, KubeClient client, PodEvents events) {
                    try {
                        return CriRuntime.start(options, podCidr, clock, client, events);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            };
        }
    }
}
