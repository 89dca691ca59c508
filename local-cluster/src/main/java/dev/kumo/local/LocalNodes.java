package dev.kumo.local;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.join.BootstrapTokens;
import dev.kumo.node.simulated.SimulatedNodes;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The nodes of the local cluster: {@code count} simulated node agents ({@code kumo-node-1..N}) in the cluster's
 * JVM, joined through a bootstrap token made for them (kube-system/bootstrap-token-&lt;id&gt;, deleted again when
 * the cluster stops). Simulated nodes run no processes: their pods are reported Running and Ready at once.
 */
final class LocalNodes implements AutoCloseable {
    static final String NAME_PREFIX = "kumo-node-";
    /** What each simulated node offers; generous, since nothing real stands behind it. */
    static final NodeCapacity CAPACITY = NodeCapacity.of("8", "32Gi", "100Gi");
    private static final Duration TOKEN_TTL = Duration.ofHours(24);

    private final KubeClient admin;
    private final String tokenSecret;
    private final SimulatedNodes nodes;

    private LocalNodes(KubeClient admin, String tokenSecret, SimulatedNodes nodes) {
        this.admin = admin;
        this.tokenSecret = tokenSecret;
        this.nodes = nodes;
    }

    static LocalNodes start(String server, String caCertificatePem, String adminToken, int count,
                            Consumer<String> progress) throws InterruptedException {
        ApiEndpoint api = ApiEndpoint.of(URI.create(server), caCertificatePem);
        KubeClient admin = api.client(() -> adminToken, "kumo-local-cluster");
        BootstrapTokens.Token token = BootstrapTokens.create(admin, Clock.systemUTC(), TOKEN_TTL,
                "kumo local cluster: simulated nodes");
        progress.accept("starting " + count + " simulated node" + (count == 1 ? "" : "s") + " (" + NAME_PREFIX + "1"
                + (count > 1 ? ".." + NAME_PREFIX + count : "") + "): no containers run, pods are reported "
                + "Running and Ready at once");
        try {
            SimulatedNodes nodes = SimulatedNodes.start(api, token.token(),
                    SimulatedNodes.Options.of(count, NAME_PREFIX, CAPACITY), Clock.systemUTC());
            return new LocalNodes(admin, token.secretName(), nodes);
        } catch (RuntimeException | InterruptedException e) {
            admin.delete(ResourceType.SECRETS, "kube-system", token.secretName(), null, null);
            throw e;
        }
    }

    /** Silences one node (no lease renewals, no status, no pod sync), as if its machine had gone away. */
    void stop(String name) {
        nodes.stop(name);
    }

    @Override
    public void close() {
        nodes.close();
        admin.delete(ResourceType.SECRETS, "kube-system", tokenSecret, null, null);
    }
}
