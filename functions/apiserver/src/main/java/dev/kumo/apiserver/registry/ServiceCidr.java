package dev.kumo.apiserver.registry;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Random;

/** An IPv4 service CIDR (default 10.96.0.0/12, as kubeadm's); the first address is the kubernetes service's. */
public record ServiceCidr(int network, int prefixLength) {
    public static final String ENV = "KUMO_SERVICE_CIDR";

    public ServiceCidr {
        if (prefixLength < 8 || prefixLength > 28) {
            throw new IllegalArgumentException("a service CIDR needs a prefix between /8 and /28, got /" + prefixLength);
        }
    }

    public static ServiceCidr parse(String cidr) {
        String[] parts = cidr.split("/");
        if (parts.length != 2) {
            throw new IllegalArgumentException("not a CIDR: " + cidr);
        }
        try {
            int address = ByteBuffer.wrap(InetAddress.getByName(parts[0]).getAddress()).getInt();
            int prefix = Integer.parseInt(parts[1]);
            int mask = prefix == 0 ? 0 : -1 << (32 - prefix);
            return new ServiceCidr(address & mask, prefix);
        } catch (UnknownHostException | NumberFormatException | java.nio.BufferUnderflowException e) {
            throw new IllegalArgumentException("not an IPv4 CIDR: " + cidr, e);
        }
    }

    int size() {
        return 1 << (32 - prefixLength);
    }

    /** A random address, leaving out the network address, the first address and the broadcast address. */
    String randomServiceAddress(Random random) {
        return toText(network + 2 + random.nextInt(size() - 3));
    }

    /** The kubernetes service's address: the first in the range. */
    public String first() {
        return toText(network + 1);
    }

    boolean contains(String ip) {
        try {
            byte[] bytes = InetAddress.getByName(ip).getAddress();
            if (bytes.length != 4) {
                return false;
            }
            int address = ByteBuffer.wrap(bytes).getInt();
            int mask = -1 << (32 - prefixLength);
            return (address & mask) == network;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String toText(int address) {
        return ((address >>> 24) & 0xff) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "."
                + (address & 0xff);
    }

    @Override
    public String toString() {
        return toText(network) + "/" + prefixLength;
    }
}
