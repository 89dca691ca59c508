package dev.kumo.cloud.aws;

import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.cloud.CloudProvider;
import dev.kumo.cloud.Instances;
import dev.kumo.cloud.LoadBalancers;
import dev.kumo.cloud.Routes;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

import java.util.Map;

/**
 * The {@code aws} cloud provider: nodes on EC2 instances from the cluster's launch template, Services' load balancers
 * as ELBv2 network load balancers, pod routes in a VPC route table. Configured by {@link AwsCloudConfig}'s environment
 * variables; the IAM actions it calls are listed in docs/cloud-aws.md.
 */
public final class AwsCloudProvider implements CloudProvider, AutoCloseable {
    private final Ec2Client ec2;
    private final ElasticLoadBalancingV2Client elb;
    private final AwsInstances instances;
    private final AwsLoadBalancers loadBalancers;
    private final AwsRoutes routes;

    public AwsCloudProvider(Ec2Client ec2, ElasticLoadBalancingV2Client elb, AwsCloudConfig config) {
        this.ec2 = ec2;
        this.elb = elb;
        this.instances = new AwsInstances(ec2, config);
        this.loadBalancers = new AwsLoadBalancers(elb, config);
        this.routes = new AwsRoutes(ec2, config);
    }

    /**
     * From a function's environment: {@link AwsCloudConfig#fromEnvironment} and SDK clients for {@code AWS_REGION},
     * or for {@value AwsCloudConfig#ENV_AWS_ENDPOINT} when it is set.
     */
    public static AwsCloudProvider fromEnvironment(Map<String, String> env) {
        AwsCloudConfig config = AwsCloudConfig.fromEnvironment(env);
        return new AwsCloudProvider(
                AwsClients.configure(Ec2Client.builder(), env, AwsCloudConfig.ENV_AWS_ENDPOINT).build(),
                AwsClients.configure(ElasticLoadBalancingV2Client.builder(), env, AwsCloudConfig.ENV_AWS_ENDPOINT)
                        .build(),
                config);
    }

    @Override
    public String name() {
        return AwsProviderIds.SCHEME;
    }

    @Override
    public Instances instances() {
        return instances;
    }

    @Override
    public LoadBalancers loadBalancers() {
        return loadBalancers;
    }

    @Override
    public Routes routes() {
        return routes;
    }

    @Override
    public void close() {
        ec2.close();
        elb.close();
    }
}
