package dev.kumo.node.cri;

import dev.kumo.node.cri.v1.DNSConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

class PodDnsTest {
    @TempDir
    Path dir;

    @Test
    void theHostsResolverWithThePodsDnsConfigMergedIn() throws Exception {
        Path resolvConf = dir.resolve("resolv.conf");
        Files.writeString(resolvConf, """
                # host
                nameserver 192.0.2.53
                nameserver 192.0.2.54
                domain old.example
                search corp.example example
                options ndots:2 edns0
                """);
        assertThat(PodDns.of(object("{\"dnsPolicy\": \"ClusterFirst\"}"), resolvConf))
                .as("the host's, copied by containerd").isNull();

        DNSConfig merged = PodDns.of(object("""
                {"dnsPolicy": "Default", "dnsConfig": {"nameservers": ["192.0.2.54", "192.0.2.99", "192.0.2.100"],
                 "searches": ["ns1.svc.example"], "options": [{"name": "ndots", "value": "5"}, {"name": "rotate"}]}}"""),
                resolvConf);
        assertThat(merged.getServersList()).containsExactly("192.0.2.53", "192.0.2.54", "192.0.2.99");
        assertThat(merged.getSearchesList()).containsExactly("corp.example", "example", "ns1.svc.example");
        assertThat(merged.getOptionsList()).containsExactly("ndots:5", "edns0", "rotate");

        DNSConfig none = PodDns.of(object("""
                {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["192.0.2.1"]}}"""), resolvConf);
        assertThat(none.getServersList()).containsExactly("192.0.2.1");
        assertThat(none.getSearchesList()).isEmpty();
    }
}
