package dev.kumo.e2e.support;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Like {@link SharedCluster}, but the cluster has {@link #NODES} simulated nodes ({@code kumo-node-1..3}, 8 cpu
 * each, pod CIDRs 10.244.0-2.0/24) whose pods become Running and Ready: for the control loops' tests, kept apart
 * from the node-less shared cluster so that other suites' pods are not scheduled and run there. Tests must leave
 * the nodes running (one that stops a node starts a cluster of its own).
 */
public final class SharedNodeCluster implements ParameterResolver {
    public static final int NODES = 3;
    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(SharedNodeCluster.class);

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == KumoCluster.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return SharedCluster.sharedCluster(context, NAMESPACE, NODES);
    }
}
