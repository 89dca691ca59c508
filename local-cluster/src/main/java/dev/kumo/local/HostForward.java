package dev.kumo.local;

import java.util.List;

/**
 * One port of a node's address that reaches what its agent serves on the host ({@link NodeNetwork#forwardToHost}):
 * {@code protocol} ({@code tcp} or {@code udp}) {@code port} on the node's address goes to {@code hostPort} on the
 * host's address.
 */
record HostForward(String protocol, int port, int hostPort) {

    HostForward {
        if (!protocol.equals("tcp") && !protocol.equals("udp")) {
            throw new IllegalArgumentException("a forwarded port is tcp or udp, not '" + protocol + "'");
        }
        if (port < 1 || port > 65535 || hostPort < 1 || hostPort > 65535) {
            throw new IllegalArgumentException("ports are 1 to 65535, not " + port + " and " + hostPort);
        }
    }

    static HostForward tcp(int port, int hostPort) {
        return new HostForward("tcp", port, hostPort);
    }

    /** Both protocols, as DNS is served. */
    static List<HostForward> udpAndTcp(int port, int hostPort) {
        return List.of(new HostForward("udp", port, hostPort), tcp(port, hostPort));
    }
}
