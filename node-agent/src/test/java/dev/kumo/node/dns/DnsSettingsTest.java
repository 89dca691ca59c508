package dev.kumo.node.dns;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where cluster DNS forwards, and what its settings accept. */
class DnsSettingsTest {
    @Test
    void upstreamsAreTheNameserversOfAResolvConfOnPort53() {
        ResolvConf host = ResolvConf.parse("nameserver 10.0.0.2\nnameserver fd00::53\n");
        assertThat(DnsSettings.upstreamsOf(host)).containsExactly(new InetSocketAddress("10.0.0.2", 53),
                new InetSocketAddress("fd00::53", 53));
    }

    @Test
    void anUpstreamThatIsTheServerItselfIsRecognised() {
        InetSocketAddress listen = new InetSocketAddress("10.0.0.9", 53);
        assertThat(ClusterDns.isItself(new InetSocketAddress("10.0.0.9", 53), listen)).isTrue();
        assertThat(ClusterDns.isItself(new InetSocketAddress("10.0.0.2", 53), listen)).isFalse();
        assertThat(ClusterDns.isItself(new InetSocketAddress("10.0.0.9", 5353), listen)).isFalse();
        InetSocketAddress everywhere = new InetSocketAddress("0.0.0.0", 53);
        assertThat(ClusterDns.isItself(new InetSocketAddress("127.0.0.1", 53), everywhere)).isTrue();
        assertThat(ClusterDns.isItself(new InetSocketAddress("10.0.0.2", 53), everywhere)).isFalse();
    }

    @Test
    void theZoneLosesItsTrailingDotAndTtlsStayInRange() {
        DnsSettings settings = new DnsSettings(new InetSocketAddress(0), "cluster.local.", List.of(),
                DnsSettings.DEFAULT_TTL, PodRecords.INSECURE, Duration.ofSeconds(1));
        assertThat(settings.zone()).isEqualTo("cluster.local");
        assertThatThrownBy(() -> settings.withTtl(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
