package dev.kumo.infra.nodes;

import dev.kumo.cloud.CloudPart;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.services.iam.PolicyStatement;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The IAM statements of each {@link CloudPart}: what the aws provider's part calls (docs/cloud-aws.md lists the calls),
 * on the nodes stack's resources and the cluster's tagged ones only. The control plane gives each cloud loop the
 * statements of the parts it is granted. Describe calls take no resource ({@code *}: EC2's and ELBv2's have no
 * resource-level permissions); everything else names ARNs and, where IAM has one, a condition on the
 * {@code kumo:cluster} tag.
 */
final class CloudControllerPolicy {
    private static final String ELB = "elasticloadbalancing:";
    private static final String TAG = "kumo:cluster";

    private final String cluster;
    private final String launchTemplateId;
    private final List<String> nodeSubnets;
    private final String routeTableId;
    private final String nodeRoleArn;

    CloudControllerPolicy(String cluster, String launchTemplateId, List<String> nodeSubnets, String routeTableId,
                          String nodeRoleArn) {
        this.cluster = cluster;
        this.launchTemplateId = launchTemplateId;
        this.nodeSubnets = List.copyOf(nodeSubnets);
        this.routeTableId = routeTableId;
        this.nodeRoleArn = nodeRoleArn;
    }

    Map<CloudPart, List<PolicyStatement>> byPart() {
        Map<CloudPart, List<PolicyStatement>> parts = new EnumMap<>(CloudPart.class);
        parts.put(CloudPart.INSTANCES, instances());
        parts.put(CloudPart.INSTANCE_LOOKUP, List.of(describeInstances()));
        parts.put(CloudPart.LOAD_BALANCERS, loadBalancers());
        parts.put(CloudPart.ROUTES, routes());
        return parts;
    }

    /**
     * Launch only from the launch template into the node subnets, only tagged with the cluster, passing only the
     * node role; tag only on launch; terminate only the cluster's instances.
     */
    private List<PolicyStatement> instances() {
        List<String> launchResources = new ArrayList<>(List.of(
                ec2Arn("launch-template/" + launchTemplateId),
                Fn.sub("arn:${AWS::Partition}:ec2:${AWS::Region}::image/*"),
                ec2Arn("security-group/*"), ec2Arn("network-interface/*")));
        nodeSubnets.forEach(subnet -> launchResources.add(ec2Arn("subnet/" + subnet)));
        return List.of(
                statement(List.of("ec2:RunInstances"), launchResources, null),
                statement(List.of("ec2:RunInstances"), List.of(ec2Arn("instance/*"), ec2Arn("volume/*")),
                        Map.of("StringEquals", Map.of("aws:RequestTag/" + TAG, cluster))),
                statement(List.of("ec2:CreateTags"), List.of(ec2Arn("instance/*"), ec2Arn("volume/*")),
                        Map.of("StringEquals", Map.of("ec2:CreateAction", "RunInstances"))),
                statement(List.of("iam:PassRole"), List.of(nodeRoleArn), null),
                describeInstances(),
                statement(List.of("ec2:TerminateInstances"), List.of(ec2Arn("instance/*")), clusterInstance()));
    }

    /**
     * Pod CIDR routes in the node route table only; {@code ModifyInstanceAttribute} turns a cluster instance's
     * source/destination check off before a route points at it (AwsRoutes.create), and {@code DescribeInstances}
     * maps routes' instances to nodes (AwsRoutes.list).
     */
    private List<PolicyStatement> routes() {
        return List.of(
                statement(List.of("ec2:DescribeRouteTables"), List.of("*"), null),
                describeInstances(),
                statement(List.of("ec2:ModifyInstanceAttribute"), List.of(ec2Arn("instance/*")), clusterInstance()),
                statement(List.of("ec2:CreateRoute", "ec2:ReplaceRoute", "ec2:DeleteRoute"),
                        List.of(ec2Arn("route-table/" + routeTableId)), null));
    }

    /**
     * Network load balancers, their target groups and listeners: created only with the cluster's tag, tagged only
     * by the call that creates them ({@code elasticloadbalancing:CreateAction}: no existing load balancer can be
     * tagged into the cluster and then deleted), changed and deleted only when they carry the tag.
     */
    private List<PolicyStatement> loadBalancers() {
        String loadBalancer = elbArn("loadbalancer/net/*/*");
        String targetGroup = elbArn("targetgroup/*/*");
        String listener = elbArn("listener/net/*/*/*");
        Map<String, Object> requestTagged = Map.of("StringEquals", Map.of("aws:RequestTag/" + TAG, cluster));
        Map<String, Object> resourceTagged = Map.of("StringEquals", Map.of("aws:ResourceTag/" + TAG, cluster));
        return List.of(
                statement(List.of(ELB + "DescribeLoadBalancers", ELB + "DescribeTargetGroups",
                        ELB + "DescribeListeners", ELB + "DescribeTargetHealth"), List.of("*"), null),
                statement(List.of(ELB + "CreateLoadBalancer"), List.of(loadBalancer), requestTagged),
                statement(List.of(ELB + "CreateTargetGroup"), List.of(targetGroup), requestTagged),
                // CreateListener is authorized on the new listener and on its load balancer.
                statement(List.of(ELB + "CreateListener"), List.of(listener, loadBalancer), requestTagged),
                statement(List.of(ELB + "AddTags"), List.of(loadBalancer, targetGroup, listener),
                        Map.of("StringEquals", Map.of(
                                ELB + "CreateAction", List.of("CreateLoadBalancer", "CreateTargetGroup",
                                        "CreateListener"),
                                "aws:RequestTag/" + TAG, cluster))),
                statement(List.of(ELB + "ModifyListener", ELB + "DeleteListener"), List.of(listener), resourceTagged),
                statement(List.of(ELB + "RegisterTargets", ELB + "DeregisterTargets", ELB + "DeleteTargetGroup"),
                        List.of(targetGroup), resourceTagged),
                statement(List.of(ELB + "DeleteLoadBalancer"), List.of(loadBalancer), resourceTagged),
                // An account's first load balancer makes ELB's service-linked role: that role only.
                statement(List.of("iam:CreateServiceLinkedRole"), List.of(Fn.sub("arn:${AWS::Partition}:iam::"
                        + "${AWS::AccountId}:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
                        + "AWSServiceRoleForElasticLoadBalancing")), Map.of("StringEquals",
                        Map.of("iam:AWSServiceName", "elasticloadbalancing.amazonaws.com"))));
    }

    private static PolicyStatement describeInstances() {
        return statement(List.of("ec2:DescribeInstances"), List.of("*"), null);
    }

    private Map<String, Object> clusterInstance() {
        return Map.of("StringEquals", Map.of("ec2:ResourceTag/" + TAG, cluster));
    }

    private static String ec2Arn(String resource) {
        return Fn.sub("arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:") + resource;
    }

    private static String elbArn(String resource) {
        return Fn.sub("arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:") + resource;
    }

    private static PolicyStatement statement(List<String> actions, List<String> resources,
                                             Map<String, Object> conditions) {
        PolicyStatement.Builder statement = PolicyStatement.Builder.create().actions(actions).resources(resources);
        if (conditions != null) {
            statement.conditions(conditions);
        }
        return statement.build();
    }
}
