package dev.kumo.infra.nodes;

import dev.kumo.infra.constructs.VpcPlacement;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.CfnRouteTable;
import software.amazon.awscdk.services.ec2.CfnSubnet;
import software.amazon.awscdk.services.ec2.CfnSubnetRouteTableAssociation;
import software.amazon.awscdk.services.ec2.CfnVPCEndpoint;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.Subnet;
import software.amazon.awscdk.services.ec2.SubnetAttributes;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * The API server function's place in the nodes' VPC, so that it reaches the agents' port ({@code kubectl logs}):
 * two isolated subnets (one per zone, a route table with no route out of the VPC), its security group, the only
 * source the nodes accept on {@link NodesStack#AGENT_PORT}, and endpoints for the AWS APIs it calls, since nothing
 * there reaches the internet: DynamoDB through a gateway endpoint on the subnets' route table (free), KMS (the
 * secrets' data keys, the token signing key) and STS (the presigned {@code GetCallerIdentity} of IAM tokens) through
 * interface endpoints in both subnets (paid per zone and hour; docs/infra-cdk.md, "Cost"), each with a policy that
 * lets through only what the function needs ({@link EndpointPolicies}). Lambda keeps its logs off the VPC, so
 * CloudWatch Logs needs no endpoint.
 *
 * <p>The subnets are /24s right after the nodes' /18 ({@code 10.0.64.0/24}, {@code 10.0.65.0/24}): outside the range
 * whose addresses pick the nodes' pod CIDRs ({@link NodeNetwork}).
 */
public final class ApiServerNetwork extends Construct {
    /** The first /24 of the VPC past its first /18. */
    static final int FIRST_SUBNET = 64;
    static final int HTTPS = 443;
    /** The interface endpoints, by the last part of their service name ({@code com.amazonaws.<region>.<name>}). */
    static final List<String> INTERFACE_SERVICES = List.of("kms", "sts");

    private final IVpc vpc;
    private final SecurityGroup securityGroup;
    private final CfnRouteTable routes;
    private final List<ISubnet> subnets = new ArrayList<>();

    public ApiServerNetwork(Construct scope, String id, NodeNetwork network, String vpcCidr, SecurityGroup nodes,
                            String cluster) {
        super(scope, id);
        this.vpc = network.vpc();
        this.routes = CfnRouteTable.Builder.create(this, "Routes").vpcId(network.vpcId()).build();
        List<String> subnetIds = new ArrayList<>();
        for (int zone = 0; zone < NodeNetwork.ZONES; zone++) {
            CfnSubnet subnet = CfnSubnet.Builder.create(this, "Subnet" + zone)
                    .vpcId(network.vpcId())
                    .availabilityZone(NodeNetwork.zone(zone))
                    .cidrBlock(Fn.select(FIRST_SUBNET + zone, Fn.cidr(vpcCidr, 256, "8")))
                    .mapPublicIpOnLaunch(false)
                    .build();
            CfnSubnetRouteTableAssociation.Builder.create(this, "Subnet" + zone + "Routes")
                    .subnetId(subnet.getRef()).routeTableId(routes.getRef()).build();
            subnetIds.add(subnet.getRef());
            subnets.add(Subnet.fromSubnetAttributes(this, "Subnet" + zone + "Ref", SubnetAttributes.builder()
                    .subnetId(subnet.getRef())
                    .availabilityZone(subnet.getAttrAvailabilityZone())
                    .routeTableId(routes.getRef())
                    .build()));
        }

        this.securityGroup = SecurityGroup.Builder.create(this, "Function")
                .vpc(vpc)
                .description("kumo " + cluster + " API server function: the node agents and AWS APIs only")
                .allowAllOutbound(false)
                .build();
        // The subnets route only inside the VPC and to DynamoDB's gateway endpoint, so 443 reaches the endpoints and
        // DynamoDB, nothing else (DynamoDB's prefix list has no id a template can name without a lookup).
        securityGroup.addEgressRule(Peer.anyIpv4(), Port.tcp(HTTPS), "AWS APIs through the VPC endpoints");
        securityGroup.addEgressRule(nodes, Port.tcp(NodesStack.AGENT_PORT), "the node agents: logs");
        nodes.addIngressRule(securityGroup, Port.tcp(NodesStack.AGENT_PORT),
                "the node agent from the API server function only");

        CfnVPCEndpoint.Builder.create(this, "DynamoDb")
                .vpcId(network.vpcId())
                .vpcEndpointType("Gateway")
                .serviceName(Fn.sub("com.amazonaws.${AWS::Region}.dynamodb"))
                .routeTableIds(List.of(routes.getRef()))
                .policyDocument(EndpointPolicies.dynamoDb())
                .build();
        SecurityGroup endpoints = SecurityGroup.Builder.create(this, "Endpoints")
                .vpc(vpc)
                .description("kumo " + cluster + " VPC endpoints of the API server function (KMS, STS)")
                .allowAllOutbound(false)
                .build();
        endpoints.addIngressRule(securityGroup, Port.tcp(HTTPS), "HTTPS from the API server function only");
        for (String service : INTERFACE_SERVICES) {
            CfnVPCEndpoint.Builder.create(this, service.toUpperCase(java.util.Locale.ROOT))
                    .vpcId(network.vpcId())
                    .vpcEndpointType("Interface")
                    .serviceName(Fn.sub("com.amazonaws.${AWS::Region}." + service))
                    .subnetIds(subnetIds)
                    .securityGroupIds(List.of(endpoints.getSecurityGroupId()))
                    // The SDK's and the IAM token's usual names (kms.<region>…, sts.<region>…) resolve to the endpoint.
                    .privateDnsEnabled(true)
                    .policyDocument(EndpointPolicies.forInterface(service))
                    .build();
        }
    }

    /** What the API server function is placed with: these subnets, this security group. */
    public VpcPlacement placement() {
        return new VpcPlacement(vpc, subnets, securityGroup);
    }

    public SecurityGroup securityGroup() {
        return securityGroup;
    }

    /** The route table of the API subnets: the one DynamoDB's gateway endpoint is on. */
    public String routeTableId() {
        return routes.getRef();
    }
}
