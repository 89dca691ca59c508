package dev.kumo.local;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.join.BootstrapTokens;
import dev.kumo.node.simulated.SimulatedNodes;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The nodes of the local cluster, {@code kumo-node-1..N}, joined through a bootstrap token made for them
 * (kube-system/bootstrap-token-&lt;id&gt;, deleted again when the cluster stops): either simulated node agents in
 * the cluster's JVM, which run no processes (their pods are reported Running and Ready at once), real nodes
 * ({@link CriNodes}: containerd, each in a network namespace of its own), or {@link ProcessNodes} (containers'
 * commands as plain processes).
 */
final class LocalNodes implements AutoCloseable {
    static final String NAME_PREFIX = "kumo-node-";
    /** What each simulated node offers; generous, since nothing real stands behind it. */
    static final NodeCapacity CAPACITY = NodeCapacity.of("8", "32Gi", "100Gi");
    private static final Duration TOKEN_TTL = Duration.ofHours(24);

    private final KubeClient admin;
    private final String tokenSecret;
    private final SimulatedNodes simulated;
    private final CriNodes cri;
    private final ProcessNodes process;

    private LocalNodes(KubeClient admin, String tokenSecret, SimulatedNodes simulated, CriNodes cri,
                       ProcessNodes process) {
        this.admin = admin;
        this.tokenSecret = tokenSecret;
        this.simulated = simulated;
        this.cri = cri;
        this.process = process;
    }

    /**
     * Starts {@code count} nodes with {@code runtime} ({@link NodeRuntimeChoice#CRI},
     * {@link NodeRuntimeChoice#PROCESS} or {@link NodeRuntimeChoice#SIMULATED}); process nodes keep their state under
     * {@code home}, cri ones start on {@code cri} (null for the other runtimes).
     */
    static LocalNodes start(ApiEndpoint api, String adminToken, int count, String runtime, Path home, CriHost cri,
                            Consumer<String> progress) throws Exception {
        KubeClient admin = api.client(() -> adminToken, "kumo-local-cluster");
        BootstrapTokens.Token token = BootstrapTokens.create(admin, Clock.systemUTC(), TOKEN_TTL,
                "kumo local cluster: " + runtime + " nodes");
        String names = NAME_PREFIX + "1" + (count > 1 ? ".." + NAME_PREFIX + count : "");
        String some = count + " " + runtime + " node" + (count == 1 ? "" : "s") + " (" + names + ")";
        try {
            if (runtime.equals(NodeRuntimeChoice.CRI)) {
                progress.accept("starting " + some + ": containerd in a network namespace per node, pod CIDRs routed"
                        + " between them");
                return new LocalNodes(admin, token.secretName(), null, CriNodes.start(cri, token.token(), count,
                        NAME_PREFIX, progress), null);
            }
            if (runtime.equals(NodeRuntimeChoice.PROCESS)) {
                progress.accept("starting " + some + ": containers' commands run as plain processes of this host."
                        + " No images (a container needs a command; the host's programs run), no isolation, no"
                        + " cgroups (limits not enforced), one shared network (pod IP " + ProcessNodes.ADDRESS
                        + ", ports collide), no Service routing or cluster DNS, no kubectl exec or port-forward"
                        + " (kubectl logs works)");
                return new LocalNodes(admin, token.secretName(), null, null,
                        ProcessNodes.start(api, token.token(), count, NAME_PREFIX, home));
            }
            progress.accept("starting " + some + ": no containers run, pods are reported Running and Ready at once");
            SimulatedNodes nodes = SimulatedNodes.start(api, token.token(),
                    SimulatedNodes.Options.of(count, NAME_PREFIX, CAPACITY), Clock.systemUTC());
            return new LocalNodes(admin, token.secretName(), nodes, null, null);
        } catch (Exception e) {
            admin.delete(ResourceType.SECRETS, "kube-system", token.secretName(), null, null);
            throw e;
        }
    }

    /** Silences one node (no lease renewals, no status, no pod sync), as if its machine had gone away. */
    void stop(String name) {
        if (simulated != null) {
            simulated.stop(name);
        } else if (cri != null) {
            cri.stop(name);
        } else {
            process.stop(name);
        }
    }

    @Override
    public void close() {
        if (simulated != null) {
            simulated.close();
        } else if (cri != null) {
            cri.close();
        } else {
            process.close();
        }
        admin.delete(ResourceType.SECRETS, "kube-system", tokenSecret, null, null);
    }
}
