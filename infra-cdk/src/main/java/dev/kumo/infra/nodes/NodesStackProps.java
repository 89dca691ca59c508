package dev.kumo.infra.nodes;

import software.amazon.awscdk.Environment;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What the {@link NodesStack} deploys and where.
 *
 * @param env          account and region, or null for an environment-agnostic template
 * @param cluster      the cluster's name (tags, parameter names)
 * @param nodeAgentJar the node agent's runnable jar ({@code node-agent/target/node-agent-*-agent.jar})
 * @param architecture the nodes' CPU architecture (the AMI and the CNI plugins follow it)
 * @param privateNodes nodes in private subnets behind a NAT gateway instead of public subnets with public IPs
 * @param vpcCidr      the VPC's range, a /16: node subnets are /20s in its first /18
 * @param clusterCidr  the range of every pod CIDR (a /24 per node), outside the VPC's
 * @param apiServerInVpc a place in the VPC for the API server function ({@link ApiServerNetwork}): the only source
 *                     of the agents' port; without it the agents' port is closed to everyone
 */
public record NodesStackProps(Environment env, String cluster, Path nodeAgentJar, NodeArchitecture architecture,
                              boolean privateNodes, String vpcCidr, String clusterCidr, boolean apiServerInVpc) {
    public NodesStackProps {
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(nodeAgentJar, "nodeAgentJar");
        Objects.requireNonNull(architecture, "architecture");
        if (!vpcCidr.endsWith("/16")) {
            throw new IllegalArgumentException("the nodes' VPC is a /16 (pod CIDRs are derived from a node's address "
                    + "in its first /18): " + vpcCidr);
        }
        if (!NodeNetwork.CLUSTER_CIDR.equals(clusterCidr)) {
            throw new IllegalArgumentException("the cluster CIDR is " + NodeNetwork.CLUSTER_CIDR
                    + " (16,384 /24s, one per address of the nodes' /18): " + clusterCidr);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private Environment env;
        private String cluster = "kumo";
        private Path nodeAgentJar;
        private NodeArchitecture architecture = NodeArchitecture.ARM64;
        private boolean privateNodes;
        private String vpcCidr = "10.0.0.0/16";
        private String clusterCidr = NodeNetwork.CLUSTER_CIDR;
        private boolean apiServerInVpc = true;

        private Builder() {
        }

        public Builder env(Environment env) {
            this.env = env;
            return this;
        }

        public Builder cluster(String cluster) {
            this.cluster = cluster;
            return this;
        }

        public Builder nodeAgentJar(Path nodeAgentJar) {
            this.nodeAgentJar = nodeAgentJar;
            return this;
        }

        /** Default arm64 (Graviton: about 20 % cheaper than x86 per vCPU). */
        public Builder architecture(NodeArchitecture architecture) {
            this.architecture = architecture;
            return this;
        }

        /** Default false: public subnets, no NAT gateway (about $32 a month plus $0.045 per GB). */
        public Builder privateNodes(boolean privateNodes) {
            this.privateNodes = privateNodes;
            return this;
        }

        public Builder vpcCidr(String vpcCidr) {
            this.vpcCidr = vpcCidr;
            return this;
        }

        /** Default true: subnets, security group and VPC endpoints for the API function (about $29 a month). */
        public Builder apiServerInVpc(boolean apiServerInVpc) {
            this.apiServerInVpc = apiServerInVpc;
            return this;
        }

        public NodesStackProps build() {
            return new NodesStackProps(env, cluster, nodeAgentJar, architecture, privateNodes, vpcCidr, clusterCidr,
                    apiServerInVpc);
        }
    }
}
