package dev.kumo.node.main;

import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.RuntimeConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * The local cluster writes its agents' settings and each agent reads them back: a pool instance's labels, taints
     * and smaller capacity, its own machine identity and the resolver it forwards to must survive the file.
     */
    @Test
    void settingsWrittenAreReadBackWhole(@TempDir Path dir) throws IOException {
        AgentSettings written = new AgentSettings(URI.create("https://10.250.0.1:40123"), dir.resolve("ca.crt"),
                dir.resolve("bootstrap-token"), "pool-a-1", "10.250.0.130", "10.244.128.0/24", "10.244.0.0/16",
                dir.resolve("containerd.sock"), dir.resolve("cni"), dir.resolve("agent"), true, "kumo-pods",
                new AgentSettings.Registration(Map.of("kumo.dev/node-pool", "a", "tier", "web"),
                        List.of(new NodeConfig.Taint("dedicated", "web", "NoSchedule"),
                                new NodeConfig.Taint("spot", "", "PreferNoSchedule")),
                        new NodeCapacity("2", "4Gi", "20Gi", 30), "6a1f0c1e-59a8-3a4e-9c1d-2b4f3e5d6c7a"),
                dir.resolve("resolv.conf"), dir.resolve("agent.ready"));
        Path file = dir.resolve("agent.conf");
        written.write(file);

        AgentSettings read = AgentSettings.read(file);
        assertThat(read).isEqualTo(written);
        NodeConfig node = AgentMain.node(read);
        assertThat(node.capacity()).isEqualTo(new NodeCapacity("2", "4Gi", "20Gi", 30));
        assertThat(node.labels()).containsEntry("tier", "web");
        assertThat(node.taints()).hasSize(2);
    }

    /** A machine's file that names none of the local cluster's settings gets the machine's own. */
    @Test
    void aMachinesSettingsFileLeavesTheNewSettingsAtTheirDefaults(@TempDir Path dir) throws IOException {
        AgentSettings settings = settings(dir, "true");
        assertThat(settings.podBridge()).isEqualTo("kumo0");
        assertThat(settings.registration()).isEqualTo(AgentSettings.Registration.NONE);
        assertThat(settings.resolvConf()).isEqualTo(Path.of("/etc/resolv.conf"));
        assertThat(settings.readyFile()).isNull();
    }

    @Test
    void malformedLabelsTaintsOrCapacityAreRefusedNamingTheSetting(@TempDir Path dir) throws IOException {
        settings(dir, "true");
        assertThatThrownBy(() -> withLine(dir, "nodeLabels=tier")).hasMessageContaining("nodeLabels takes name=value")
                .hasMessageContaining("\"tier\"");
        assertThatThrownBy(() -> withLine(dir, "registerWithTaints=dedicated=web"))
                .hasMessageContaining("registerWithTaints takes key[=value]:Effect");
        assertThatThrownBy(() -> withLine(dir, "capacity=cpu=2,memory=4Gi"))
                .hasMessageContaining("has no ephemeral-storage");
    }

    private static AgentSettings withLine(Path dir, String line) throws IOException {
        Path file = dir.resolve("with-line.conf");
        Files.writeString(file, Files.readString(dir.resolve("node-agent-true.conf")) + line + "\n");
        return AgentSettings.read(file);
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
