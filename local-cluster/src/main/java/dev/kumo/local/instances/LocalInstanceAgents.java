package dev.kumo.local.instances;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.cloud.local.LocalInstanceStore;
import dev.kumo.cloud.local.LocalInstances;
import dev.kumo.cloud.local.NodeAddressing;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.join.BootstrapTokens;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * The local cluster's side of the local provider: the instances directory, and the supervisor that boots an agent
 * for each of its instances with a bootstrap token made for them (deleted again when the cluster stops).
 */
public final class LocalInstanceAgents implements AutoCloseable {
    private static final Duration TOKEN_TTL = Duration.ofHours(24);
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final KubeClient admin;
    private final LocalInstances instances;
    private InstanceSupervisor supervisor;
    private BootstrapTokens.Token token;

    private LocalInstanceAgents(KubeClient admin, LocalInstances instances) {
        this.admin = admin;
        this.instances = instances;
    }

    /**
     * The agents' bootstrap token, made when the first instance boots rather than at cluster start (the API's first
     * requests are slow while it bootstraps; a failure here is the boot's, retried at the supervisor's next look).
     */
    private synchronized String token() {
        if (token == null) {
            token = BootstrapTokens.create(admin, Clock.systemUTC(), TOKEN_TTL,
                    "kumo local cluster: node pool instances");
        }
        return token.token();
    }

    /**
     * Supervises the instances recorded in {@code directory} (numbered on {@code addressing}), booting each with the
     * launcher {@code launcher} makes from the API and the agents' bootstrap token.
     */
    public static LocalInstanceAgents start(String server, String caCertificatePem, String adminToken,
                                            Path directory, NodeAddressing addressing,
                                            BiFunction<ApiEndpoint, Supplier<String>, AgentLauncher> launcher) {
        ApiEndpoint api = ApiEndpoint.of(URI.create(server), caCertificatePem);
        KubeClient admin = api.client(() -> adminToken, "kumo-local-instances");
        LocalInstanceStore store = new LocalInstanceStore(directory, addressing, Clock.systemUTC());
        LocalInstanceAgents agents = new LocalInstanceAgents(admin, new LocalInstances(store));
        agents.supervisor = new InstanceSupervisor(store, launcher.apply(api, agents::token)).start(LOOK_EVERY);
        return agents;
    }

    /** The provider's API over the same records: what the loops use, and what a test terminates instances with. */
    public LocalInstances instances() {
        return instances;
    }

    @Override
    public void close() {
        supervisor.close();
        synchronized (this) {
            if (token != null) {
                admin.delete(ResourceType.SECRETS, "kube-system", token.secretName(), null, null);
            }
        }
    }
}
