package dev.kumo.local.instances;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.cloud.local.LocalInstanceStore;
import dev.kumo.cloud.local.LocalInstances;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.join.BootstrapTokens;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * The local cluster's side of the local provider: the instances directory, and the supervisor that boots an agent
 * for each of its instances with a bootstrap token made for them (deleted again when the cluster stops).
 */
public final class LocalInstanceAgents implements AutoCloseable {
    private static final Duration TOKEN_TTL = Duration.ofHours(24);
    private static final Duration LOOK_EVERY = Duration.ofSeconds(1);

    private final KubeClient admin;
    private final String tokenSecret;
    private final InstanceSupervisor supervisor;
    private final LocalInstances instances;

    private LocalInstanceAgents(KubeClient admin, String tokenSecret, InstanceSupervisor supervisor,
                                LocalInstances instances) {
        this.admin = admin;
        this.tokenSecret = tokenSecret;
        this.supervisor = supervisor;
        this.instances = instances;
    }

    public static LocalInstanceAgents start(String server, String caCertificatePem, String adminToken,
                                            Path directory) {
        ApiEndpoint api = ApiEndpoint.of(URI.create(server), caCertificatePem);
        KubeClient admin = api.client(() -> adminToken, "kumo-local-instances");
        Clock clock = Clock.systemUTC();
        BootstrapTokens.Token token = BootstrapTokens.create(admin, clock, TOKEN_TTL,
                "kumo local cluster: node pool instances");
        LocalInstanceStore store = new LocalInstanceStore(directory, clock);
        InstanceSupervisor supervisor = new InstanceSupervisor(store,
                new InJvmAgentLauncher(api, token.token(), clock)).start(LOOK_EVERY);
        return new LocalInstanceAgents(admin, token.secretName(), supervisor, new LocalInstances(store));
    }

    /** The provider's API over the same records: what the loops use, and what a test terminates instances with. */
    public LocalInstances instances() {
        return instances;
    }

    @Override
    public void close() {
        supervisor.close();
        admin.delete(ResourceType.SECRETS, "kube-system", tokenSecret, null, null);
    }
}
