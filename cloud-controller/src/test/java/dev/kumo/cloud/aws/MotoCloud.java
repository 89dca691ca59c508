package dev.kumo.cloud.aws;

import dev.kumo.apimachinery.aws.AwsClients;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

import java.util.Map;

/**
 * One moto server for every test class of the aws provider, with what issue 6's CDK stack makes in an account: a
 * VPC, a node subnet and a load balancer subnet in each of two zones, a route table, and the nodes' launch template.
 * Tests keep apart by their own cluster names and load balancer names.
 */
final class MotoCloud {
    static final String REGION = "us-east-1";
    static final String ZONE_A = "us-east-1a";
    static final String ZONE_B = "us-east-1b";
    static final String LAUNCH_TEMPLATE = "kumo-nodes";

    private static MotoCloud shared;

    final MotoEc2Server server;
    final Ec2Client ec2;
    final ElasticLoadBalancingV2Client elb;
    final String vpcId;
    final String nodeSubnetA;
    final String nodeSubnetB;
    final String lbSubnetA;
    final String lbSubnetB;
    final String routeTableId;

    private MotoCloud(MotoEc2Server server) {
        this.server = server;
        Map<String, String> env = clientEnvironment();
        this.ec2 = AwsClients.configure(Ec2Client.builder(), env, AwsCloudConfig.ENV_AWS_ENDPOINT).build();
        this.elb = AwsClients.configure(ElasticLoadBalancingV2Client.builder(), env, AwsCloudConfig.ENV_AWS_ENDPOINT)
                .build();
        this.vpcId = ec2.createVpc(r -> r.cidrBlock("10.0.0.0/16")).vpc().vpcId();
        this.nodeSubnetA = subnet("10.0.1.0/24", ZONE_A);
        this.nodeSubnetB = subnet("10.0.2.0/24", ZONE_B);
        this.lbSubnetA = subnet("10.0.101.0/24", ZONE_A);
        this.lbSubnetB = subnet("10.0.102.0/24", ZONE_B);
        this.routeTableId = ec2.createRouteTable(r -> r.vpcId(vpcId)).routeTable().routeTableId();
        Image image = ec2.describeImages(r -> r.owners("amazon")).images().getFirst();
        ec2.createLaunchTemplate(r -> r.launchTemplateName(LAUNCH_TEMPLATE)
                .launchTemplateData(d -> d.imageId(image.imageId())));
    }

    /** The shared emulator, started on first use and stopped when the test JVM exits. */
    static synchronized MotoCloud get() {
        if (shared == null) {
            MotoEc2Server server = MotoEc2Server.start();
            Runtime.getRuntime().addShutdownHook(new Thread(server::close, "moto-stop"));
            shared = new MotoCloud(server);
        }
        return shared;
    }

    /** A cluster's provider as a function gets it: from environment variables. */
    AwsCloudProvider provider(String cluster) {
        return AwsCloudProvider.fromEnvironment(environment(cluster));
    }

    Map<String, String> environment(String cluster) {
        Map<String, String> env = new java.util.HashMap<>(clientEnvironment());
        env.put(AwsCloudConfig.ENV_CLUSTER, cluster);
        env.put(AwsCloudConfig.ENV_LAUNCH_TEMPLATE, LAUNCH_TEMPLATE);
        env.put(AwsCloudConfig.ENV_NODE_SUBNETS, ZONE_A + "=" + nodeSubnetA + "," + ZONE_B + "=" + nodeSubnetB);
        env.put(AwsCloudConfig.ENV_ROUTE_TABLE_ID, routeTableId);
        env.put(AwsCloudConfig.ENV_LB_SUBNETS, lbSubnetA + "," + lbSubnetB);
        return env;
    }

    private Map<String, String> clientEnvironment() {
        return Map.of("AWS_REGION", REGION, AwsCloudConfig.ENV_AWS_ENDPOINT, server.endpoint());
    }

    private String subnet(String cidr, String zone) {
        return ec2.createSubnet(r -> r.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone)).subnet().subnetId();
    }
}
