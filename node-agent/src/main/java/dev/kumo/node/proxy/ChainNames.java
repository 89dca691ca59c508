package dev.kumo.node.proxy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * kube-proxy's nftables chain and set names: a prefix, then the first 8 characters of the base32 of the SHA-256 of
 * the rest, then the rest ({@code namespace/service/protocol/port}, plus {@code __ip/port} for an endpoint), e.g.
 * {@code service-ULMVA6XW-ns1/svc1/tcp/p80}. The hash tells apart names that differ in one digit at a glance.
 */
final class ChainNames {
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();
    /** nftables' limit on names (NFT_NAME_MAXLEN 256, with its terminating NUL) less the longest prefix. */
    private static final int BASE_LENGTH_MAX = 255 - 16;

    private ChainNames() {
    }

    static String service(ServicePort port) {
        return "service-" + servicePortBase(port);
    }

    static String local(ServicePort port) {
        return "local-" + servicePortBase(port);
    }

    static String external(ServicePort port) {
        return "external-" + servicePortBase(port);
    }

    static final String ENDPOINT_PREFIX = "endpoint-";
    static final String AFFINITY_PREFIX = "affinity-";

    /** What follows {@link #ENDPOINT_PREFIX} in an endpoint's chain and {@link #AFFINITY_PREFIX} in its set. */
    static String endpointBase(ServicePort port, Endpoint endpoint) {
        return hashAndTruncate(portPath(port) + "__" + endpoint.ip() + "/" + endpoint.port());
    }

    private static String servicePortBase(ServicePort port) {
        return hashAndTruncate(portPath(port));
    }

    private static String portPath(ServicePort port) {
        return port.namespace() + "/" + port.service() + "/" + port.protocol() + "/" + port.portName();
    }

    static String hashAndTruncate(String name) {
        String hashed = base32Prefix(sha256(name)) + "-" + name;
        return hashed.length() > BASE_LENGTH_MAX ? hashed.substring(0, BASE_LENGTH_MAX - 3) + "..." : hashed;
    }

    /** The first 8 characters of the base32 (RFC 4648) of {@code bytes}: its first 40 bits. */
    private static String base32Prefix(byte[] bytes) {
        long bits = 0;
        for (int i = 0; i < 5; i++) {
            bits = (bits << 8) | (bytes[i] & 0xff);
        }
        char[] out = new char[8];
        for (int i = 7; i >= 0; i--) {
            out[i] = BASE32[(int) (bits & 31)];
            bits >>>= 5;
        }
        return new String(out);
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
