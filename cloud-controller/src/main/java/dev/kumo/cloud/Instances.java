package dev.kumo.cloud;

import java.util.List;
import java.util.Optional;

/** The machines nodes run on: launched for a node pool, listed, terminated. */
public interface Instances {
    /**
     * Launches one instance, or returns the one an earlier call with the same {@link InstanceRequest#clientToken()}
     * launched (EC2's idempotency token; the local provider keeps the same promise).
     */
    Instance launch(InstanceRequest request) throws CloudException;

    /** The cluster's instances that are not terminated, of every node pool. */
    List<Instance> list() throws CloudException;

    /** The instance with this provider id, if it exists and is not terminated. */
    Optional<Instance> find(String providerId) throws CloudException;

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
