package dev.kumo.infra.nodes;

import dev.kumo.cloud.CloudPart;
import dev.kumo.infra.constructs.VpcPlacement;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.OperatingSystemType;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.constructs.Construct;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Where the cluster's nodes run: the {@link NodeNetwork}, the nodes' and load balancers' security groups, the API
 * server function's subnets, security group and VPC endpoints ({@link ApiServerNetwork}: it calls the agents), the nodes'
 * instance role and profile, the node agent's jar as an S3 asset, and the launch template (Amazon Linux 2023 from its
 * public SSM parameter, IMDSv2 only, an encrypted gp3 root volume, {@link NodeUserData}). Instances are launched by
 * the cloud provider (the NodePool provisioner) from the launch template, not by this stack; its outputs are what the
 * provider's functions need ({@link #cloudProviderEnvironment()}). While no node runs it costs the API server's two
 * interface endpoints (KMS, STS: about $29 a month), and a NAT gateway with {@code privateNodes}.
 */
public final class NodesStack extends Stack {
    /** Read by cloud-controller's aws provider. */
    public static final String ENV_CLUSTER = "KUMO_CLUSTER";
    public static final String ENV_LAUNCH_TEMPLATE_ID = "KUMO_LAUNCH_TEMPLATE_ID";
    public static final String ENV_NODE_SUBNETS = "KUMO_NODE_SUBNETS";
    public static final String ENV_ROUTE_TABLE_ID = "KUMO_ROUTE_TABLE_ID";
    public static final String ENV_LB_SUBNETS = "KUMO_LB_SUBNETS";

    public static final String OUTPUT_VPC = "VpcId";
    public static final String OUTPUT_LAUNCH_TEMPLATE = "LaunchTemplateId";
    public static final String OUTPUT_NODE_SUBNETS = "NodeSubnets";
    public static final String OUTPUT_LB_SUBNETS = "LoadBalancerSubnets";
    public static final String OUTPUT_ROUTE_TABLE = "RouteTableId";
    public static final String OUTPUT_NODE_SECURITY_GROUP = "NodeSecurityGroupId";
    public static final String OUTPUT_LB_SECURITY_GROUP = "LoadBalancerSecurityGroupId";
    public static final String OUTPUT_BOOTSTRAP_TOKEN_PARAMETER = "BootstrapTokenParameter";

    /** The node agent's port (the kubelet's 10250): logs, exec and port-forward from the control plane. */
    public static final int AGENT_PORT = 10250;
    public static final int NODE_PORT_MIN = 30000;
    public static final int NODE_PORT_MAX = 32767;
    static final int ROOT_VOLUME_GIB = 20;

    private final NodeNetwork network;
    private final ApiServerNetwork apiServerNetwork;
    private final LaunchTemplate launchTemplate;
    private final SecurityGroup nodes;
    private final SecurityGroup loadBalancers;
    private final Role role;
    private final String cluster;

    public NodesStack(Construct scope, String id, NodesStackProps props) {
        super(scope, id, StackProps.builder().env(props.env()).build());
        getTemplateOptions().setDescription("kumo nodes: the VPC, security groups, instance role and launch template");
        this.cluster = props.cluster();
        this.network = new NodeNetwork(this, "Network", props.vpcCidr(), props.privateNodes());
        this.loadBalancers = SecurityGroup.Builder.create(this, "LoadBalancers")
                .vpc(network.vpc())
                .description("kumo " + cluster + " load balancers of Services (listeners are opened per Service)")
                .allowAllOutbound(true)
                .build();
        this.nodes = nodeSecurityGroup(props);
        this.apiServerNetwork = props.apiServerInVpc()
                ? new ApiServerNetwork(this, "ApiServer", network, props.vpcCidr(), nodes, cluster) : null;
        this.role = nodeRole();

        Asset agent = Asset.Builder.create(this, "NodeAgentJar").path(props.nodeAgentJar().toString()).build();
        agent.grantRead(role);
        UserData userData = NodeUserData.script(cluster, props.architecture(), agent.getS3ObjectUrl(),
                apiEndpointParameter(cluster), bootstrapTokenParameter(cluster));
        this.launchTemplate = LaunchTemplate.Builder.create(this, "NodeTemplate")
                .machineImage(MachineImage.fromSsmParameter(props.architecture().amiParameter(),
                        software.amazon.awscdk.services.ec2.SsmParameterImageOptions.builder()
                                .os(OperatingSystemType.LINUX).build()))
                .instanceType(props.architecture().defaultInstanceType())
                .userData(userData)
                .role(role)
                .securityGroup(nodes)
                .associatePublicIpAddress(!props.privateNodes())
                .requireImdsv2(true)
                .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
                // One hop: a pod (one bridge further) cannot reach IMDS and borrow the node's role.
                .httpPutResponseHopLimit(1)
                .blockDevices(List.of(BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(BlockDeviceVolume.ebs(ROOT_VOLUME_GIB, EbsDeviceOptions.builder()
                                .volumeType(EbsDeviceVolumeType.GP3)
                                .encrypted(true)
                                .deleteOnTermination(true)
                                .build()))
                        .build()))
                .build();
        outputs();
    }

    private SecurityGroup nodeSecurityGroup(NodesStackProps props) {
        SecurityGroup group = SecurityGroup.Builder.create(this, "Nodes")
                .vpc(network.vpc())
                .description("kumo " + cluster + " nodes: pod traffic, NodePorts, the agent port; no SSH (use SSM)")
                .allowAllOutbound(true)
                .build();
        group.addIngressRule(group, Port.allTraffic(), "nodes to nodes");
        // A security group source matches the nodes' own addresses only; pods' addresses are routed, not the ENIs'.
        group.addIngressRule(Peer.ipv4(props.clusterCidr()), Port.allTraffic(), "pods to pods and nodes");
        Port nodePortsTcp = Port.tcpRange(NODE_PORT_MIN, NODE_PORT_MAX);
        Port nodePortsUdp = Port.udpRange(NODE_PORT_MIN, NODE_PORT_MAX);
        group.addIngressRule(Peer.ipv4(props.vpcCidr()), nodePortsTcp, "NodePorts from the VPC (load balancer health checks)");
        group.addIngressRule(Peer.ipv4(props.vpcCidr()), nodePortsUdp, "UDP NodePorts from the VPC");
        group.addIngressRule(loadBalancers, nodePortsTcp, "NodePorts from the Service load balancers");
        group.addIngressRule(loadBalancers, nodePortsUdp, "UDP NodePorts from the Service load balancers");
        // The agent's port is opened to the API server function only, by ApiServerNetwork.
        return group;
    }

    /**
     * What a node's agent and boot script need, nothing more: SSM Session Manager instead of SSH (the managed policy),
     * its jar, the API's URL and the bootstrap token, and turning off its own source/destination check.
     */
    private Role nodeRole() {
        Role nodeRole = Role.Builder.create(this, "NodeRole")
                .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
                .description("kumo " + cluster + " nodes")
                .managedPolicies(List.of(ManagedPolicy.fromAwsManagedPolicyName("AmazonSSMManagedInstanceCore")))
                .build();
        nodeRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ssm:GetParameter"))
                .resources(List.of(parameterArn(apiEndpointParameter(cluster)), parameterArn(bootstrapTokenParameter(cluster))))
                .build());
        nodeRole.addToPolicy(PolicyStatement.Builder.create()
                .actions(List.of("ec2:ModifyInstanceAttribute"))
                .resources(List.of(Fn.sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:instance/*")))
                .conditions(Map.of("StringEquals", Map.of("ec2:ResourceTag/kumo:cluster", cluster)))
                .build());
        return nodeRole;
    }

    private String parameterArn(String name) {
        return Fn.sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter" + name);
    }

    /** The SSM parameter (String) with the API's URL, written by the control plane stack. */
    public static String apiEndpointParameter(String cluster) {
        return "/kumo/" + cluster + "/api-endpoint";
    }

    /** The SSM parameter (SecureString) with the nodes' bootstrap token, written by {@code ./kumo deploy}. */
    public static String bootstrapTokenParameter(String cluster) {
        return "/kumo/" + cluster + "/bootstrap-token";
    }

    private void outputs() {
        output(OUTPUT_VPC, network.vpcId(), "The nodes' VPC");
        output(OUTPUT_LAUNCH_TEMPLATE, launchTemplate.getLaunchTemplateId(), "The nodes' launch template (" + ENV_LAUNCH_TEMPLATE_ID + ")");
        output(OUTPUT_NODE_SUBNETS, Fn.join(",", network.nodeSubnets()), "Subnets nodes are launched in (" + ENV_NODE_SUBNETS + ")");
        output(OUTPUT_LB_SUBNETS, Fn.join(",", network.loadBalancerSubnets()), "Subnets of Services' load balancers (" + ENV_LB_SUBNETS + ")");
        output(OUTPUT_ROUTE_TABLE, network.nodeRouteTableId(), "The node subnets' route table, for pod CIDR routes (" + ENV_ROUTE_TABLE_ID + ")");
        output(OUTPUT_NODE_SECURITY_GROUP, nodes.getSecurityGroupId(), "The nodes' security group");
        output(OUTPUT_LB_SECURITY_GROUP, loadBalancers.getSecurityGroupId(), "The security group Services' load balancers should carry");
        output(OUTPUT_BOOTSTRAP_TOKEN_PARAMETER, bootstrapTokenParameter(cluster), "SSM SecureString with the nodes' bootstrap token");
    }

    private void output(String id, String value, String description) {
        CfnOutput.Builder.create(this, id).value(value).description(description).build();
    }

    /**
     * The environment of the cloud provider's functions (cloud-controller's aws provider): the cluster, the launch
     * template, the node and load balancer subnets (comma-separated) and the route table. The control plane stack
     * takes it (a reference from it to this stack, never the other way: nodes find the API through SSM).
     */
    public Map<String, String> cloudProviderEnvironment() {
        Map<String, String> environment = new TreeMap<>();
        environment.put(ENV_CLUSTER, cluster);
        environment.put(ENV_LAUNCH_TEMPLATE_ID, launchTemplate.getLaunchTemplateId());
        environment.put(ENV_NODE_SUBNETS, Fn.join(",", network.nodeSubnetsByZone()));
        environment.put(ENV_LB_SUBNETS, Fn.join(",", network.loadBalancerSubnets()));
        environment.put(ENV_ROUTE_TABLE_ID, network.nodeRouteTableId());
        return environment;
    }

    /**
     * What each part of the cloud controller may do, no more ({@link CloudControllerPolicy}; docs/cloud-aws.md lists
     * the calls): launch instances only from this launch template into these subnets and only tagged with the
     * cluster, pass only the node role, terminate and modify only the cluster's instances, change only the node route
     * table, and create or change only load balancers, target groups and listeners tagged with the cluster. The
     * control plane gives each cloud loop the statements of its parts only.
     */
    public Map<CloudPart, List<PolicyStatement>> cloudControllerStatements() {
        return new CloudControllerPolicy(cluster, launchTemplate.getLaunchTemplateId(), network.nodeSubnets(),
                network.nodeRouteTableId(), role.getRoleArn()).byPart();
    }

    public NodeNetwork network() {
        return network;
    }

    /**
     * Where the control plane puts the API server function: the only source the nodes accept on the agent's port.
     * The control plane stack takes it (a reference from it to this stack, as for the cloud provider).
     */
    public Optional<VpcPlacement> apiServerPlacement() {
        return apiServerNetwork().map(ApiServerNetwork::placement);
    }

    /** Empty when the props keep the API function out of the VPC. */
    public Optional<ApiServerNetwork> apiServerNetwork() {
        return Optional.ofNullable(apiServerNetwork);
    }

    public LaunchTemplate launchTemplate() {
        return launchTemplate;
    }

    public Role role() {
        return role;
    }

    public SecurityGroup nodeSecurityGroup() {
        return nodes;
    }

    public SecurityGroup loadBalancerSecurityGroup() {
        return loadBalancers;
    }
}
