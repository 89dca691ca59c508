package dev.kumo.cloud;

import dev.kumo.cloud.aws.AwsCloudProvider;
import dev.kumo.cloud.local.LocalInstances;
import dev.kumo.cloud.local.LocalNetwork;
import dev.kumo.cloud.local.NodeAddressing;

import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Which cloud a loop function talks to, from its settings (the function's environment): {@value #ENV_PROVIDER} is
 * {@code local} (instances recorded under {@value LocalInstances#ENV_DIRECTORY}, numbered on the node network
 * {@value NodeAddressing#ENV} names, and booted by the local cluster;
 * load balancers and routes kept under {@value LocalNetwork#ENV_DIRECTORY}) or {@code aws} (EC2, ELBv2 and a VPC
 * route table, configured as {@link dev.kumo.cloud.aws.AwsCloudConfig} says). Each part is built only when the
 * settings grant it ({@link CloudPart#ENV_PARTS}): the control plane grants a loop exactly the parts its role has
 * permissions for.
 */
public final class CloudSettings {
    public static final String ENV_PROVIDER = "KUMO_CLOUD_PROVIDER";
    public static final String LOCAL = "local";
    public static final String AWS = "aws";

    private CloudSettings() {
    }

    public static Instances instances(Map<String, String> settings) {
        require(settings, CloudPart.INSTANCES);
        return localOrAwsInstances(settings);
    }

    /** For a loop that only reads instances: the same provider's instances, under the narrower grant. */
    public static InstanceLookup instanceLookup(Map<String, String> settings) {
        require(settings, CloudPart.INSTANCE_LOOKUP);
        return localOrAwsInstances(settings);
    }

    private static Instances localOrAwsInstances(Map<String, String> settings) {
        return switch (provider(settings)) {
            case LOCAL -> {
                String directory = settings.get(LocalInstances.ENV_DIRECTORY);
                if (directory == null || directory.isEmpty()) {
                    throw new IllegalStateException("the local cloud provider needs " + LocalInstances.ENV_DIRECTORY);
                }
                String network = settings.get(NodeAddressing.ENV);
                yield new LocalInstances(Path.of(directory), network == null || network.isEmpty()
                        ? NodeAddressing.UNROUTED : NodeAddressing.parse(network));
            }
            case AWS -> AwsCloudProvider.fromEnvironment(settings).instances();
            default -> throw unknown(settings);
        };
    }

    public static LoadBalancers loadBalancers(Map<String, String> settings) {
        require(settings, CloudPart.LOAD_BALANCERS);
        return switch (provider(settings)) {
            case LOCAL -> LocalNetwork.loadBalancers(settings);
            case AWS -> AwsCloudProvider.fromEnvironment(settings).loadBalancers();
            default -> throw unknown(settings);
        };
    }

    public static Routes routes(Map<String, String> settings) {
        require(settings, CloudPart.ROUTES);
        return switch (provider(settings)) {
            case LOCAL -> LocalNetwork.routes(settings);
            case AWS -> AwsCloudProvider.fromEnvironment(settings).routes();
            default -> throw unknown(settings);
        };
    }

    private static void require(Map<String, String> settings, CloudPart part) {
        Set<CloudPart> granted = CloudPart.granted(settings);
        if (!granted.contains(part)) {
            throw new IllegalStateException("this function is not granted the cloud part " + part.settingName()
                    + " (" + CloudPart.ENV_PARTS + "=" + CloudPart.setting(granted) + "): its role has no permissions "
                    + "for it (in AWS: infra-cdk's CloudLoopParts grants each loop its parts)");
        }
    }

    private static String provider(Map<String, String> settings) {
        return settings.getOrDefault(ENV_PROVIDER, "");
    }

    private static IllegalStateException unknown(Map<String, String> settings) {
        return new IllegalStateException("no cloud provider \"" + provider(settings) + "\" (" + ENV_PROVIDER
                + "); known: " + LOCAL + ", " + AWS);
    }
}
