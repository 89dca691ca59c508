package dev.kumo.e2e.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives tests one {@link KumoCluster} for the whole run: started by the first test class that asks, kept in
 * JUnit's root store, closed when the run ends. Use with {@code @ExtendWith(SharedCluster.class)} and a
 * {@code KumoCluster} constructor (or method) parameter.
 */
public final class SharedCluster implements ParameterResolver {
    private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(SharedCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KumoCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return sharedCluster(context, NAMESPACE, 0);
    }

    /** The run's one cluster kept under {@code namespace}, with {@code nodes} simulated nodes, started if need be. */
    static KumoCluster sharedCluster(ExtensionContext context, ExtensionContext.Namespace namespace, int nodes) {
        return context.getRoot().getStore(namespace).getOrComputeIfAbsent("cluster", key -> {
            try {
                return KumoCluster.start(nodes);
            } catch (Exception e) {
                throw new ParameterResolutionException("the local cluster (" + nodes + " nodes) did not start", e);
            }
        }, KumoCluster.class);
    }
}
