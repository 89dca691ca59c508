package dev.kumo.node.network;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The node's pod IPAM, as CNI's host-local plugin does it on the node's pod CIDR: the network address, the gateway
 * (the first address, which the bridge takes) and the broadcast address are never handed out; addresses are given
 * round-robin after the last one allocated, so that a released address is not reused at once (a stale peer still
 * sending to it would reach the wrong pod). One address per pod, keyed by the pod's uid.
 */
public final class PodIpAllocator {
    private final Ipv4Cidr cidr;
    private final Map<Integer, String> owners = new HashMap<>();
    private final Map<String, Integer> byOwner = new HashMap<>();
    private final long first;
    private final long last;
    private long lastAllocated;

    public PodIpAllocator(Ipv4Cidr cidr) {
        if (cidr.size() < 4) {
            throw new IllegalArgumentException("pod CIDR " + cidr + " is too small: it needs room for a network, "
                    + "gateway, broadcast and at least one pod address");
        }
        this.cidr = cidr;
        this.first = 2;
        this.last = cidr.size() - 2;
        this.lastAllocated = first - 1;
    }

    /** The pod's address: the one it has, or the next free one. */
    public synchronized String allocate(String podUid) {
        Integer held = byOwner.get(podUid);
        if (held != null) {
            return Ipv4Cidr.format(held);
        }
        long candidates = last - first + 1;
        for (long step = 1; step <= candidates; step++) {
            long offset = first + Math.floorMod(lastAllocated - first + step, candidates);
            int address = cidr.address(offset);
            if (!owners.containsKey(address)) {
                take(podUid, address);
                lastAllocated = offset;
                return Ipv4Cidr.format(address);
            }
        }
        throw new IllegalStateException("failed to allocate for range 0: no IP addresses available in range set: "
                + Ipv4Cidr.format(cidr.address(first)) + "-" + Ipv4Cidr.format(cidr.address(last)));
    }

    /**
     * Takes over an address a pod already had (after an agent restart). False when the address is outside the
     * allocatable range or another pod holds it; the pod then needs a new one.
     */
    public synchronized boolean reserve(String podUid, String address) {
        int value;
        try {
            value = Ipv4Cidr.parseAddress(address);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!cidr.contains(value)) {
            return false;
        }
        long offset = Integer.toUnsignedLong(value - cidr.network());
        if (offset < first || offset > last) {
            return false;
        }
        String owner = owners.get(value);
        if (owner != null) {
            return owner.equals(podUid);
        }
        Integer held = byOwner.get(podUid);
        if (held != null) {
            return false;
        }
        take(podUid, value);
        return true;
    }

    public synchronized Optional<String> addressOf(String podUid) {
        return Optional.ofNullable(byOwner.get(podUid)).map(Ipv4Cidr::format);
    }

    /** Frees the pod's address; nothing happens when it has none. */
    public synchronized void release(String podUid) {
        Integer address = byOwner.remove(podUid);
        if (address != null) {
            owners.remove(address);
        }
    }

    public synchronized int allocated() {
        return owners.size();
    }

    private void take(String podUid, int address) {
        owners.put(address, podUid);
        byOwner.put(podUid, address);
    }
}
