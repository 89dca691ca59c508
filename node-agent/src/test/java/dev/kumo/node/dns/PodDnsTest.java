package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** Pods' resolv.conf by dnsPolicy and dnsConfig, as the kubelet writes it. */
class PodDnsTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ResolvConf HOST = ResolvConf.parse("""
            # written by the host's DHCP client
            nameserver 10.0.0.2
            nameserver 10.0.0.3
            search stale.example
            search corp.example. example.net
            options edns0 timeout:2
            """);

    static Stream<Arguments> policies() {
        String cluster = "nameserver 10.96.0.10\nsearch team.svc.cluster.local svc.cluster.local cluster.local"
                + " corp.example example.net\noptions ndots:5\n";
        String host = "nameserver 10.0.0.2\nnameserver 10.0.0.3\nsearch corp.example example.net\n"
                + "options edns0 timeout:2\n";
        return Stream.of(
                arguments("ClusterFirst by default", "{}", cluster),
                arguments("ClusterFirst on the host network falls back to Default", """
                        {"dnsPolicy": "ClusterFirst", "hostNetwork": true}""", host),
                arguments("ClusterFirstWithHostNet", """
                        {"dnsPolicy": "ClusterFirstWithHostNet", "hostNetwork": true}""", cluster),
                arguments("Default", """
                        {"dnsPolicy": "Default"}""", host),
                arguments("None with dnsConfig", """
                        {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["1.1.1.1"], "searches": ["a.example"],
                         "options": [{"name": "ndots", "value": "2"}, {"name": "edns0"}]}}""",
                        "nameserver 1.1.1.1\nsearch a.example\noptions ndots:2 edns0\n"),
                arguments("None without dnsConfig", """
                        {"dnsPolicy": "None"}""", ""),
                arguments("ClusterFirst with dnsConfig merged", """
                        {"dnsConfig": {"nameservers": ["10.96.0.10", "192.0.2.1"],
                         "searches": ["svc.cluster.local", "extra.example"],
                         "options": [{"name": "ndots", "value": "1"}, {"name": "single-request-reopen"}]}}""",
                        "nameserver 10.96.0.10\nnameserver 192.0.2.1\nsearch team.svc.cluster.local"
                                + " svc.cluster.local cluster.local corp.example example.net extra.example\n"
                                + "options ndots:1 single-request-reopen\n"),
                arguments("Default with dnsConfig options overriding the host's", """
                        {"dnsPolicy": "Default", "dnsConfig": {"options": [{"name": "timeout", "value": "5"}]}}""",
                        host.replace("timeout:2", "timeout:5")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("policies")
    void resolvConfByPolicy(String description, String spec, String expected) {
        PodDns.Config config = PodDns.resolvConf(pod(spec), "10.96.0.10", "cluster.local", HOST);
        assertThat(config.resolvConf().text()).isEqualTo(expected);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void clusterFirstWithoutAClusterDnsAddressFallsBackToDefaultWithAWarning() {
        PodDns.Config config = PodDns.resolvConf(pod("{}"), "", "cluster.local", HOST);
        assertThat(config.resolvConf()).isEqualTo(HOST);
        assertThat(config.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.reason()).isEqualTo("MissingClusterDNS");
            assertThat(warning.message()).contains("Falling back to \"Default\" policy");
        });
    }

    @Test
    void withoutAHostResolvConfDefaultUsesTheLocalNameserver() {
        assertThat(PodDns.resolvConf(pod("""
                {"dnsPolicy": "Default"}"""), "10.96.0.10", "cluster.local", null).resolvConf().text())
                .isEqualTo("nameserver 127.0.0.1\nsearch .\n");
        assertThat(PodDns.resolvConf(pod("{}"), "10.96.0.10", "cluster.local", null).resolvConf().text())
                .isEqualTo("nameserver 10.96.0.10\nsearch team.svc.cluster.local svc.cluster.local cluster.local\n"
                        + "options ndots:5\n");
    }

    @Test
    void theKubeletsLimitsApplyWithAWarning() {
        String searches = IntStream.rangeClosed(1, 40).mapToObj(i -> "\"d" + i + ".example\"")
                .collect(Collectors.joining(", "));
        PodDns.Config config = PodDns.resolvConf(pod("""
                {"dnsPolicy": "None", "dnsConfig": {"nameservers": ["1.1.1.1", "1.0.0.1", "8.8.8.8", "9.9.9.9"],
                 "searches": [%s]}}""".formatted(searches)), "10.96.0.10", "cluster.local", HOST);
        assertThat(config.resolvConf().nameservers()).containsExactly("1.1.1.1", "1.0.0.1", "8.8.8.8");
        assertThat(config.resolvConf().searches()).hasSize(32).endsWith("d32.example");
        assertThat(config.warnings()).extracting(PodDns.Warning::reason)
                .containsExactly("DNSConfigForming", "DNSConfigForming");

        String longDomain = "x".repeat(60) + "." + "y".repeat(60) + "." + "z".repeat(60) + "." + "w".repeat(80);
        PodDns.Config tooLong = PodDns.resolvConf(pod("""
                {"dnsPolicy": "None", "dnsConfig": {"searches": ["ok.example", "%s"]}}""".formatted(longDomain)),
                "10.96.0.10", "cluster.local", HOST);
        assertThat(tooLong.resolvConf().searches()).containsExactly("ok.example");
        assertThat(tooLong.warnings()).hasSize(1);
    }

    @Test
    void resolvConfParsingKeepsTheLastSearchAndOptionsLines() {
        assertThat(HOST).isEqualTo(new ResolvConf(List.of("10.0.0.2", "10.0.0.3"), List.of("corp.example",
                "example.net"), List.of("edns0", "timeout:2")));
    }

    private static JsonNode pod(String spec) {
        try {
            return MAPPER.readTree("""
                    {"metadata": {"namespace": "team", "name": "p"}, "spec": %s}""".formatted(spec));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
