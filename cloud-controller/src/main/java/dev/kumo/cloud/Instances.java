package dev.kumo.cloud;

/** The machines nodes run on: launched for a node pool, listed ({@link InstanceLookup}), terminated. */
public interface Instances extends InstanceLookup {
    /**
     * Launches one instance, or returns the one an earlier call with the same {@link InstanceRequest#clientToken()}
     * launched (EC2's idempotency token; the local provider keeps the same promise).
     */
    Instance launch(InstanceRequest request) throws CloudException;

    /** Terminates the instance; an instance already terminated or unknown is not an error. */
    void terminate(String providerId) throws CloudException;

    /**
     * What a node of this instance type offers, when the provider knows (EC2's DescribeInstanceTypes, the local
     * provider's table). Empty means unknown: the provisioner then takes an existing node of the type as the
     * template, as cluster-autoscaler does, and cannot size a pool that has none.
     */
    default java.util.Optional<InstanceCapacity> capacity(String instanceType) throws CloudException {
        return java.util.Optional.empty();
    }
}
