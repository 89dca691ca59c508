package dev.kumo.node.proxy;

import java.util.Objects;

/**
 * One endpoint of a service port, from an EndpointSlice: its address and port, its conditions (a missing
 * {@code ready} counts as ready, a missing {@code serving} as {@code ready}, as the API defines them) and the node
 * it is on.
 */
public record Endpoint(String ip, int port, boolean ready, boolean serving, boolean terminating, String nodeName) {

    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(nodeName, "nodeName");
    }

    /** {@code ip:port}, as nftables' {@code dnat to} takes it. */
    public String address() {
        return ip + ":" + port;
    }
}
