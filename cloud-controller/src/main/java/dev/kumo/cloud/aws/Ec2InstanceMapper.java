package dev.kumo.cloud.aws;

import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceState;
import software.amazon.awssdk.services.ec2.model.Tag;

import java.util.ArrayList;
import java.util.List;

/** An EC2 instance as the cloud controller sees it. */
final class Ec2InstanceMapper {
    private Ec2InstanceMapper() {
    }

    static Instance map(software.amazon.awssdk.services.ec2.model.Instance ec2) {
        String zone = ec2.placement() == null ? "" : ec2.placement().availabilityZone();
        String privateDns = blankToNull(ec2.privateDnsName());
        return new Instance(AwsProviderIds.of(zone, ec2.instanceId()), privateDns, tag(ec2, AwsTags.NODE_POOL),
                ec2.instanceTypeAsString(), zone, state(ec2), addresses(ec2));
    }

    /**
     * In cloud-provider-aws' order ({@code extractNodeAddresses}): the private IP, the public IP, then the private DNS
     * name as InternalDNS and Hostname, then the public DNS name; each only where EC2 has set it.
     */
    static List<Instance.Address> addresses(software.amazon.awssdk.services.ec2.model.Instance ec2) {
        List<Instance.Address> addresses = new ArrayList<>();
        add(addresses, "InternalIP", ec2.privateIpAddress());
        add(addresses, "ExternalIP", ec2.publicIpAddress());
        add(addresses, "InternalDNS", ec2.privateDnsName());
        add(addresses, "Hostname", ec2.privateDnsName());
        add(addresses, "ExternalDNS", ec2.publicDnsName());
        return addresses;
    }

    static InstanceState state(software.amazon.awssdk.services.ec2.model.Instance ec2) {
        String name = ec2.state() == null ? "" : ec2.state().nameAsString();
        return switch (name) {
            case "pending" -> InstanceState.PENDING;
            case "running" -> InstanceState.RUNNING;
            case "stopping" -> InstanceState.STOPPING;
            case "stopped" -> InstanceState.STOPPED;
            case "shutting-down" -> InstanceState.SHUTTING_DOWN;
            case "terminated" -> InstanceState.TERMINATED;
            default -> throw new IllegalStateException("EC2 instance " + ec2.instanceId() + " has an unknown state '"
                    + name + "'");
        };
    }

    static String tag(software.amazon.awssdk.services.ec2.model.Instance ec2, String key) {
        for (Tag tag : ec2.tags()) {
            if (key.equals(tag.key())) {
                return tag.value();
            }
        }
        return null;
    }

    private static void add(List<Instance.Address> addresses, String type, String address) {
        if (address != null && !address.isBlank()) {
            addresses.add(new Instance.Address(type, address));
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
