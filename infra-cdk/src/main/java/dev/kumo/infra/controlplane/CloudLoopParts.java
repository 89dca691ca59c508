package dev.kumo.infra.controlplane;

import dev.kumo.cloud.CloudPart;
import dev.kumo.cloud.node.CloudNodeLoop;
import dev.kumo.cloud.provisioner.ProvisionerLoop;
import dev.kumo.cloud.route.RouteController;
import dev.kumo.cloud.service.ServiceController;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The cloud parts each cloud loop of {@code LoopCatalog} is granted: its function's {@link CloudPart#ENV_PARTS} and
 * the IAM statements of those parts on its role, nothing of the others. A loop whose wiring builds a part it is not
 * granted fails to start (CloudSettings refuses it), which the tests see when they start every handler from its
 * template environment.
 */
final class CloudLoopParts {
    private static final Map<String, Set<CloudPart>> PARTS = Map.of(
            // Launches instances for node pools, lists them, terminates empty and expired ones.
            ProvisionerLoop.NAME, EnumSet.of(CloudPart.INSTANCES),
            // Reads a node's instance (labels, addresses; deletes the node when the instance is gone): no launch.
            CloudNodeLoop.NAME, EnumSet.of(CloudPart.INSTANCE_LOOKUP),
            // Load balancers for Services; targets are the nodes' provider IDs, so it reads no instance.
            ServiceController.NAME, EnumSet.of(CloudPart.LOAD_BALANCERS),
            // Pod CIDR routes; the provider turns the target instance's source/destination check off itself.
            RouteController.NAME, EnumSet.of(CloudPart.ROUTES));

    private CloudLoopParts() {
    }

    /** The parts of a cloud loop; a cloud loop this map does not know stops the synth rather than getting all. */
    static Set<CloudPart> of(String loop) {
        Set<CloudPart> parts = PARTS.get(loop);
        if (parts == null) {
            throw new IllegalStateException("cloud loop " + loop + " has no cloud parts in " + CloudLoopParts.class
                    .getSimpleName() + ": say which it uses, so that its role gets those permissions only");
        }
        return EnumSet.copyOf(parts);
    }
}
