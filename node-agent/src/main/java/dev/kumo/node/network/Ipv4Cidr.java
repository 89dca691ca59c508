package dev.kumo.node.network;

/**
 * An IPv4 network in CIDR notation ({@code 10.244.1.0/24}): its addresses are {@code network + 0 ..
 * network + size - 1}. Host bits in the text must be zero, as Kubernetes requires of a pod CIDR.
 */
public record Ipv4Cidr(int network, int prefixLength) {

    public Ipv4Cidr {
        if (prefixLength < 0 || prefixLength > 32) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " is not in 0..32");
        }
        if ((network & ~mask(prefixLength)) != 0) {
            throw new IllegalArgumentException(format(network) + "/" + prefixLength + " has host bits set");
        }
    }

    public static Ipv4Cidr parse(String cidr) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("not a CIDR (no prefix length): " + cidr);
        }
        int prefix;
        try {
            prefix = Integer.parseInt(cidr.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a CIDR (bad prefix length): " + cidr, e);
        }
        return new Ipv4Cidr(parseAddress(cidr.substring(0, slash)), prefix);
    }

    /** The address as an int (the dotted quad's bytes, big-endian). */
    public static int parseAddress(String address) {
        String[] parts = address.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + address);
        }
        int value = 0;
        for (String part : parts) {
            int octet;
            try {
                octet = Integer.parseInt(part);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an IPv4 address: " + address, e);
            }
            if (octet < 0 || octet > 255 || part.isEmpty() || (part.length() > 1 && part.startsWith("0"))) {
                throw new IllegalArgumentException("not an IPv4 address: " + address);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static String format(int address) {
        return (address >>> 24) + "." + (address >>> 16 & 0xff) + "." + (address >>> 8 & 0xff) + "." + (address & 0xff);
    }

    /** How many addresses the network holds (2^(32 - prefix)). */
    public long size() {
        return 1L << (32 - prefixLength);
    }

    /** The address at {@code offset} from the network address. */
    public int address(long offset) {
        if (offset < 0 || offset >= size()) {
            throw new IllegalArgumentException("offset " + offset + " is outside " + this);
        }
        return (int) (network + offset);
    }

    public boolean contains(int address) {
        return (address & mask(prefixLength)) == network;
    }

    /**
     * The {@code index}-th subnet of length {@code subnetPrefixLength}: how a cluster CIDR is cut into node pod
     * CIDRs (10.244.0.0/16 into /24s: index 0 is 10.244.0.0/24, index 1 is 10.244.1.0/24, ...).
     */
    public Ipv4Cidr subnet(int subnetPrefixLength, long index) {
        if (subnetPrefixLength < prefixLength || subnetPrefixLength > 32) {
            throw new IllegalArgumentException("a /" + subnetPrefixLength + " subnet does not fit in " + this);
        }
        long count = 1L << (subnetPrefixLength - prefixLength);
        if (index < 0 || index >= count) {
            throw new IllegalArgumentException(this + " has " + count + " /" + subnetPrefixLength
                    + " subnets; index " + index + " is out of range");
        }
        return new Ipv4Cidr((int) (network + (index << (32 - subnetPrefixLength))), subnetPrefixLength);
    }

    private static int mask(int prefixLength) {
        return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefixLength;
    }
}
