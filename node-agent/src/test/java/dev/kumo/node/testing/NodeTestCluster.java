package dev.kumo.node.testing;

import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.controllers.testing.TestCluster;
import dev.kumo.node.ApiEndpoint;
import dev.kumo.node.join.BootstrapTokens;

import java.time.Clock;
import java.time.Duration;

/** The real API (controllers' {@link TestCluster}) with what node agents need to join it: a bootstrap token. */
public final class NodeTestCluster implements AutoCloseable {
    private final TestCluster cluster = new TestCluster();
    private final String bootstrapToken = BootstrapTokens.create(cluster.admin(), Clock.systemUTC(),
            Duration.ofHours(1), "node agent tests").token();
    private final ApiEndpoint endpoint = ApiEndpoint.of(cluster.server(), null);

    public KubeClient admin() {
        return cluster.admin();
    }

    public ApiEndpoint endpoint() {
        return endpoint;
    }

    public String bootstrapToken() {
        return bootstrapToken;
    }

    @Override
    public void close() {
        cluster.close();
    }
}
