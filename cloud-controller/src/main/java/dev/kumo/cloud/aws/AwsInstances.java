package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.InstanceState;
import dev.kumo.cloud.Instances;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.DescribeInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Reservation;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.RunInstancesResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Nodes' machines as EC2 instances, launched from the cluster's launch template ({@link AwsCloudConfig}).
 *
 * <p>What the launch template must hold (issue 6's CDK builds it): the AMI; the instance profile of a node; security
 * groups (not network interfaces, nor a subnet: the provider picks the subnet of the pool's zone); the user data
 * that installs containerd, the CNI plugins and the node agent and joins the cluster with a short-lived bootstrap
 * credential, naming the node by its private DNS name (the {@link Instance#nodeName()} this provider reports). It
 * needs no tags: the provider tags the instance and its volumes. The provider overrides only the instance type.
 *
 * <p>Idempotency: {@code RunInstances} carries the request's client token, so EC2 returns the instance of an earlier
 * call with the same token, also to two calls at once. Before it, the provider looks for a live instance tagged
 * with the token, which also covers a token EC2 no longer holds and emulators that ignore tokens.
 */
public final class AwsInstances implements Instances {
    private static final Logger LOG = LoggerFactory.getLogger(AwsInstances.class);

    private final Ec2Client ec2;
    private final AwsCloudConfig config;
    private final LaunchRequests requests;

    public AwsInstances(Ec2Client ec2, AwsCloudConfig config) {
        this.ec2 = ec2;
        this.config = config;
        this.requests = new LaunchRequests(config);
    }

    @Override
    public Instance launch(InstanceRequest request) throws CloudException {
        List<Instance> earlier = describe(DescribeInstancesRequest.builder().filters(requests.byToken(request)).build(),
                "node pool " + request.nodePool());
        if (!earlier.isEmpty()) {
            Instance instance = earlier.getFirst();
            LOG.atInfo().setMessage("instance of this client token exists already")
                    .addKeyValue("providerID", instance.providerId()).addKeyValue("nodePool", request.nodePool())
                    .addKeyValue("clientToken", request.clientToken()).log();
            return instance;
        }
        RunInstancesRequest run = requests.runInstances(request);
        RunInstancesResponse response;
        try {
            response = ec2.runInstances(run);
        } catch (SdkException e) {
            throw AwsErrors.map("RunInstances", "node pool " + request.nodePool() + " (" + request.instanceType()
                    + ", client token " + request.clientToken() + ")", e);
        }
        Instance instance = Ec2InstanceMapper.map(response.instances().getFirst());
        LOG.atInfo().setMessage("launched instance").addKeyValue("providerID", instance.providerId())
                .addKeyValue("nodePool", request.nodePool()).addKeyValue("instanceType", request.instanceType())
                .addKeyValue("subnet", run.subnetId()).addKeyValue("clientToken", request.clientToken()).log();
        return instance;
    }

    @Override
    public List<Instance> list() throws CloudException {
        return describe(DescribeInstancesRequest.builder().filters(
                Filter.builder().name(AwsTags.filter(AwsTags.CLUSTER)).values(config.cluster()).build(),
                Filter.builder().name("instance-state-name")
                        .values("pending", "running", "shutting-down", "stopping", "stopped").build()).build(),
                "cluster " + config.cluster());
    }

    @Override
    public Optional<Instance> find(String providerId) throws CloudException {
        String id = AwsProviderIds.instanceId(providerId);
        try {
            return pages(DescribeInstancesRequest.builder().instanceIds(id).build()).stream()
                    .filter(i -> i.state() != InstanceState.TERMINATED)
                    .findFirst();
        } catch (SdkException e) {
            if (AwsErrors.hasCode(e, "InvalidInstanceID.NotFound")) {
                return Optional.empty();
            }
            throw AwsErrors.map("DescribeInstances", id, e);
        }
    }

    @Override
    public void terminate(String providerId) throws CloudException {
        String id = AwsProviderIds.instanceId(providerId);
        try {
            ec2.terminateInstances(r -> r.instanceIds(id));
            LOG.atInfo().setMessage("terminating instance").addKeyValue("providerID", providerId).log();
        } catch (SdkException e) {
            if (AwsErrors.hasCode(e, "InvalidInstanceID.NotFound")) {
                LOG.atInfo().setMessage("instance is gone already").addKeyValue("providerID", providerId).log();
                return;
            }
            throw AwsErrors.map("TerminateInstances", id, e);
        }
    }

    private List<Instance> describe(DescribeInstancesRequest request, String object) throws CloudException {
        try {
            return pages(request);
        } catch (SdkException e) {
            throw AwsErrors.map("DescribeInstances", object, e);
        }
    }

    /** Every page of a DescribeInstances, mapped. */
    private List<Instance> pages(DescribeInstancesRequest request) {
        List<Instance> instances = new ArrayList<>();
        for (Reservation reservation : ec2.describeInstancesPaginator(request).reservations()) {
            reservation.instances().forEach(i -> instances.add(Ec2InstanceMapper.map(i)));
        }
        return instances;
    }
}
