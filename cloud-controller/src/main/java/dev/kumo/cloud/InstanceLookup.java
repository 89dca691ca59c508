package dev.kumo.cloud;

import java.util.List;
import java.util.Optional;

/**
 * Reading the machines nodes run on, without launching or terminating any: what cloud-provider's {@code InstancesV2}
 * gives the cloud node lifecycle controller (does the node's instance exist, is it shut down). A loop that only
 * looks instances up takes this, so that its function needs only {@link CloudPart#INSTANCE_LOOKUP}'s permissions.
 */
public interface InstanceLookup {
    /** The cluster's instances that are not terminated, of every node pool. */
    List<Instance> list() throws CloudException;

    /** The instance with this provider id, if it exists and is not terminated. */
    Optional<Instance> find(String providerId) throws CloudException;
}
