package dev.kumo.node.dns;

import org.xbill.DNS.Message;
import org.xbill.DNS.SimpleResolver;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The resolvers that names outside the cluster go to (CoreDNS's {@code forward . /etc/resolv.conf}): tried in
 * order, each within a timeout, over UDP and again over TCP when an answer comes back truncated.
 */
public final class Upstream {
    private final List<SimpleResolver> resolvers = new ArrayList<>();

    public Upstream(List<InetSocketAddress> servers, Duration timeout) {
        for (InetSocketAddress server : servers) {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            resolvers.add(resolver);
        }
    }

    /** Whether there is any upstream to ask. */
    public boolean isEmpty() {
        return resolvers.isEmpty();
    }

    /**
     * Sends {@code query} to the first upstream that answers and returns its response (whatever its rcode), with
     * the query's id. Throws the last upstream's failure when none answered.
     */
    public Message send(Message query) throws IOException {
        if (resolvers.isEmpty()) {
            throw new IOException("no upstream resolver is configured");
        }
        IOException failure = null;
        for (SimpleResolver resolver : resolvers) {
            try {
                Message response = resolver.send(query.clone()); // the resolver may add its EDNS to what it sends
                response.getHeader().setID(query.getHeader().getID());
                return response;
            } catch (IOException e) {
                String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
                IOException named = new IOException("upstream " + resolver.getAddress() + ": " + reason, e);
                if (failure != null) {
                    named.addSuppressed(failure);
                }
                failure = named;
            }
        }
        throw failure;
    }

    @Override
    public String toString() {
        return resolvers.stream().map(resolver -> String.valueOf(resolver.getAddress())).toList().toString();
    }
}
