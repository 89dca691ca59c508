package dev.kumo.infra.nodes;

import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.ec2.CfnEIP;
import software.amazon.awscdk.services.ec2.CfnInternetGateway;
import software.amazon.awscdk.services.ec2.CfnNatGateway;
import software.amazon.awscdk.services.ec2.CfnRoute;
import software.amazon.awscdk.services.ec2.CfnRouteTable;
import software.amazon.awscdk.services.ec2.CfnSubnet;
import software.amazon.awscdk.services.ec2.CfnSubnetRouteTableAssociation;
import software.amazon.awscdk.services.ec2.CfnVPC;
import software.amazon.awscdk.services.ec2.CfnVPCGatewayAttachment;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.ec2.VpcAttributes;
import software.constructs.Construct;

import java.util.ArrayList;
import java.util.List;

/**
 * The nodes' network: a VPC over {@value #ZONES} availability zones with public subnets (load balancers, and the
 * nodes by default, with public IPs) and, with {@code privateNodes}, private subnets whose traffic leaves through one
 * NAT gateway.
 *
 * <p>All node subnets share <em>one</em> route table, unlike CDK's {@code Vpc} (a table per subnet): the route
 * controller adds a route per node's pod CIDR to the instance, and every node, whatever its zone, must follow it.
 * Subnets are /20s in the VPC's first /18, so that a node's address within that /18 (14 bits) picks its pod CIDR, a /24
 * of {@value #CLUSTER_CIDR} (16,384 of them), without an allocator ({@link NodeUserData}).
 */
public final class NodeNetwork extends Construct {
    public static final String CLUSTER_CIDR = "100.64.0.0/10";
    static final int ZONES = 2;

    private final CfnVPC vpc;
    private final IVpc vpcRef;
    private final List<String> publicSubnets = new ArrayList<>();
    private final List<String> nodeSubnets = new ArrayList<>();
    private final List<String> nodeSubnetsByZone = new ArrayList<>();
    private final CfnRouteTable nodeRoutes;

    public NodeNetwork(Construct scope, String id, String vpcCidr, boolean privateNodes) {
        super(scope, id);
        this.vpc = CfnVPC.Builder.create(this, "Vpc")
                .cidrBlock(vpcCidr)
                .enableDnsHostnames(true)
                .enableDnsSupport(true)
                .build();
        CfnInternetGateway igw = new CfnInternetGateway(this, "InternetGateway");
        CfnVPCGatewayAttachment attachment = CfnVPCGatewayAttachment.Builder.create(this, "InternetAttachment")
                .vpcId(vpc.getRef()).internetGatewayId(igw.getRef()).build();

        CfnRouteTable publicRoutes = CfnRouteTable.Builder.create(this, "PublicRoutes").vpcId(vpc.getRef()).build();
        CfnRoute publicDefault = CfnRoute.Builder.create(this, "PublicDefault").routeTableId(publicRoutes.getRef())
                .destinationCidrBlock("0.0.0.0/0").gatewayId(igw.getRef()).build();
        // A route to the gateway fails until the gateway is attached to the VPC.
        publicDefault.getNode().addDependency(attachment);
        List<CfnSubnet> publicSubnetResources = new ArrayList<>();
        for (int zone = 0; zone < ZONES; zone++) {
            CfnSubnet subnet = subnet("Public" + zone, vpcCidr, zone, zone, true, publicRoutes);
            publicSubnetResources.add(subnet);
            publicSubnets.add(subnet.getRef());
        }

        if (privateNodes) {
            CfnEIP ip = CfnEIP.Builder.create(this, "NatAddress").domain("vpc").build();
            CfnNatGateway nat = CfnNatGateway.Builder.create(this, "Nat")
                    .subnetId(publicSubnets.getFirst()).allocationId(ip.getAttrAllocationId()).build();
            this.nodeRoutes = CfnRouteTable.Builder.create(this, "PrivateRoutes").vpcId(vpc.getRef()).build();
            CfnRoute.Builder.create(this, "PrivateDefault").routeTableId(nodeRoutes.getRef())
                    .destinationCidrBlock("0.0.0.0/0").natGatewayId(nat.getRef()).build();
            for (int zone = 0; zone < ZONES; zone++) {
                addNodeSubnet(subnet("Private" + zone, vpcCidr, ZONES + zone, zone, false, nodeRoutes));
            }
        } else {
            this.nodeRoutes = publicRoutes;
            publicSubnetResources.forEach(this::addNodeSubnet);
        }
        this.vpcRef = Vpc.fromVpcAttributes(this, "Ref", VpcAttributes.builder()
                .vpcId(vpc.getRef())
                .vpcCidrBlock(vpcCidr)
                .availabilityZones(List.of(zone(0), zone(1)))
                .build());
    }

    /** The {@code index}-th /20 of the VPC (index below 4: inside its first /18), in the {@code zone}-th zone. */
    private CfnSubnet subnet(String id, String vpcCidr, int index, int zone, boolean mapPublicIp, CfnRouteTable routes) {
        CfnSubnet subnet = CfnSubnet.Builder.create(this, id)
                .vpcId(vpc.getRef())
                .availabilityZone(zone(zone))
                .cidrBlock(Fn.select(index, Fn.cidr(vpcCidr, 16, "12")))
                .mapPublicIpOnLaunch(mapPublicIp)
                .build();
        CfnSubnetRouteTableAssociation.Builder.create(this, id + "Routes")
                .subnetId(subnet.getRef()).routeTableId(routes.getRef()).build();
        return subnet;
    }

    /** The {@code index}-th availability zone of the region. */
    static String zone(int index) {
        return Fn.select(index, Fn.getAzs(""));
    }

    /** The VPC, for constructs that want an {@code IVpc}. */
    public IVpc vpc() {
        return vpcRef;
    }

    public String vpcId() {
        return vpc.getRef();
    }

    /** Where nodes are launched: the public subnets, or the private ones with {@code privateNodes}. */
    public List<String> nodeSubnets() {
        return List.copyOf(nodeSubnets);
    }

    /** The node subnets as {@code zone=subnet} (what the aws cloud provider's {@code KUMO_NODE_SUBNETS} reads). */
    public List<String> nodeSubnetsByZone() {
        return List.copyOf(nodeSubnetsByZone);
    }

    private void addNodeSubnet(CfnSubnet subnet) {
        nodeSubnets.add(subnet.getRef());
        nodeSubnetsByZone.add(Fn.join("=", List.of(subnet.getAttrAvailabilityZone(), subnet.getRef())));
    }

    /** Where internet-facing load balancers go: the public subnets. */
    public List<String> loadBalancerSubnets() {
        return List.copyOf(publicSubnets);
    }

    /** The one route table of every node subnet: where the route controller adds the pod CIDRs' routes. */
    public String nodeRouteTableId() {
        return nodeRoutes.getRef();
    }
}
