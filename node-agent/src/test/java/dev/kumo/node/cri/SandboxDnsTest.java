package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.DNSConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/** The pod's resolver configuration in the sandbox's DNSConfig (how it is formed: dns.PodDnsTest). */
class SandboxDnsTest {
    @TempDir
    Path dir;

    @Test
    void theHostsResolverWithThePodsDnsConfigMergedInAndNoneAlone() throws Exception {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, """
                nameserver 192.0.2.53
                search corp.example
                options ndots:2
                """);
        DNSConfig clusterFirst = SandboxDns.of(object("""
                {"metadata": {"name": "p", "namespace": "ns"}, "spec": {"dnsPolicy": "ClusterFirst"}}"""), resolvConf);
        assertThat(clusterFirst.getServersList()).as("no cluster DNS yet: the host's").containsExactly("192.0.2.53");
        assertThat(clusterFirst.getSearchesList()).containsExactly("corp.example");
        assertThat(clusterFirst.getOptionsList()).containsExactly("ndots:2");

        DNSConfig withClusterDns = SandboxDns.of(object("""
                {"metadata": {"name": "p", "namespace": "ns"}, "spec": {"dnsPolicy": "ClusterFirst"}}"""),
                "10.96.0.10", resolvConf);
        assertThat(withClusterDns.getServersList()).as("the kubelet's --cluster-dns").containsExactly("10.96.0.10");
        assertThat(withClusterDns.getSearchesList())
                .containsExactly("ns.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example");
        assertThat(withClusterDns.getOptionsList()).containsExactly("ndots:5");

        DNSConfig merged = SandboxDns.of(object("""
                {"metadata": {"name": "p", "namespace": "ns"}, "spec": {"dnsPolicy": "Default",
                 "dnsConfig": {"nameservers": ["192.0.2.99"], "options": [{"name": "ndots", "value": "5"}]}}}"""),
                resolvConf);
        assertThat(merged.getServersList()).containsExactly("192.0.2.53", "192.0.2.99");
        assertThat(merged.getOptionsList()).containsExactly("ndots:5");

        DNSConfig none = SandboxDns.of(object("""
                {"metadata": {"name": "p", "namespace": "ns"}, "spec": {"dnsPolicy": "None",
                 "dnsConfig": {"nameservers": ["192.0.2.1"]}}}"""), resolvConf);
        assertThat(none.getServersList()).containsExactly("192.0.2.1");
        assertThat(none.getSearchesList()).isEmpty();
    }
}
