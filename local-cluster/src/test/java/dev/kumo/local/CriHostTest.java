package dev.kumo.local;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agents run in their nodes' namespaces, where the host's loopback is out of reach: which resolv.conf their
 * cluster DNS forwards other names to.
 */
class CriHostTest {
    @TempDir
    Path dir;
    private final List<String> said = new ArrayList<>();

    @Test
    void aHostResolverTheNodesReachIsUsedAsItIs() throws Exception {
        Path host = write("host.conf", "nameserver 10.255.255.53\n");
        assertThat(CriHost.upstreamResolvConf(host, dir.resolve("resolved.conf"), said::add)).isEqualTo(host);
        assertThat(said).isEmpty();
    }

    @Test
    void aLoopbackStubLendsSystemdResolvedsUpstreams() throws Exception {
        Path host = write("host.conf", "nameserver 127.0.0.53\noptions edns0 trust-ad\n");
        Path resolved = write("resolved.conf", "nameserver 192.0.2.1\n");
        assertThat(CriHost.upstreamResolvConf(host, resolved, said::add)).isEqualTo(resolved);
        assertThat(said).singleElement().asString().contains("names only [127.0.0.53]");
    }

    @Test
    void aLoopbackStubWithNothingBehindItIsKeptWithAWarning() throws Exception {
        Path host = write("host.conf", "nameserver 127.0.0.1\n");
        assertThat(CriHost.upstreamResolvConf(host, dir.resolve("missing.conf"), said::add)).isEqualTo(host);
        assertThat(said).singleElement().asString().startsWith("warning: ")
                .contains("pods will not resolve names outside the cluster");
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }
}
