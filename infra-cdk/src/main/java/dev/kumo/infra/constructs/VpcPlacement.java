package dev.kumo.infra.constructs;

import software.amazon.awscdk.services.ec2.ISecurityGroup;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;

import java.util.List;
import java.util.Objects;

/**
 * Where a {@link KumoFunction}'s network interfaces go: subnets of a VPC (one per zone) and the one security group
 * they carry. Lambda makes a Hyperplane interface per subnet and security group when the function is created or its
 * VPC settings change, not per invocation.
 *
 * @param vpc           the VPC
 * @param subnets       private subnets (Lambda gives functions no public address)
 * @param securityGroup what the function may reach, and what others open to it
 */
public record VpcPlacement(IVpc vpc, List<ISubnet> subnets, ISecurityGroup securityGroup) {
    public VpcPlacement {
        Objects.requireNonNull(vpc, "vpc");
        Objects.requireNonNull(securityGroup, "securityGroup");
        subnets = List.copyOf(subnets);
        if (subnets.isEmpty()) {
            throw new IllegalArgumentException("a function in a VPC needs at least one subnet");
        }
    }
}
