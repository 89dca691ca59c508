package dev.kumo.cloud;

/**
 * What the cloud controller needs from a cloud, as cloud-controller-manager's {@code cloudprovider.Interface}:
 * machines to run nodes on, load balancers for {@code type: LoadBalancer} Services, and routes for pod CIDRs.
 * Two implementations: {@code aws} (EC2, Elastic Load Balancing v2, VPC route tables) and {@code local} (node agents
 * as processes of this machine, TCP listeners on 127.0.0.1, host routes between network namespaces).
 *
 * <p>Every call must be safe to repeat: a Lambda invocation can be retried after it made a call whose answer it
 * never saw, so creating calls carry a client token or a deterministic name, and deleting something already gone
 * is success.
 */
public interface CloudProvider {
    /** The provider's name as the {@code providerID} scheme uses it: {@code aws}, {@code kumo-local}. */
    String name();

    Instances instances();

    LoadBalancers loadBalancers();

    Routes routes();
}
