package dev.kumo.node.main;

import dev.kumo.node.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class AgentMainTest {

    /**
     * On a real machine pods are given this node's DNS server and are not masqueraded by the pod bridge: with the
     * bridge's ipMasq every pod reached pods of other nodes as its node (against Kubernetes' network model), and pods
     * got the host's resolvers, so no cluster name resolved.
     */
    @Test
    void podsResolveThroughTheNodesOwnDnsAndKeepTheirAddresses(@TempDir Path dir) throws IOException {
        RuntimeConfig.Cri runtime = AgentMain.runtime(settings(dir, "true"));
        assertThat(runtime.clusterDns()).isEqualTo("10.0.1.23");
        assertThat(runtime.ipMasq()).isFalse();

        assertThat(AgentMain.runtime(settings(dir, "false")).clusterDns())
                .as("a node that serves no cluster DNS gives its pods the host's resolvers").isEmpty();
    }

    private static AgentSettings settings(Path dir, String clusterDns) throws IOException {
        Path file = dir.resolve("node-agent-" + clusterDns + ".conf");
        Files.writeString(file, """
                server=https://api.example.com
                bootstrapTokenFile=/etc/kumo/bootstrap-token
                nodeName=ip-10-0-1-23.eu-west-1.compute.internal
                address=10.0.1.23
                podCidr=10.0.128.0/24
                clusterCidr=10.0.128.0/17
                clusterDns=%s
                """.formatted(clusterDns));
        return AgentSettings.read(file);
    }
}
