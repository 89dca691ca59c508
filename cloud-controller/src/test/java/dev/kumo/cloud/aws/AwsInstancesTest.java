package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.InstanceState;
import dev.kumo.cloud.Instances;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.Volume;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link AwsInstances} against moto's EC2: the calls' results as DescribeInstances and DescribeVolumes show them. */
class AwsInstancesTest {
    private static MotoCloud cloud;

    @BeforeAll
    static void startMoto() {
        cloud = MotoCloud.get();
    }

    @Test
    void launchTagsTheInstanceAndItsVolumesAndPlacesItInThePoolsZone() throws Exception {
        Instances instances = cloud.provider("tags").instances();

        Instance instance = instances.launch(new InstanceRequest("general-1-0", "general", "t3.micro",
                MotoCloud.ZONE_B, Map.of("team", "infra")));

        String id = AwsProviderIds.instanceId(instance.providerId());
        assertThat(instance.providerId()).isEqualTo("aws:///" + MotoCloud.ZONE_B + "/" + id);
        assertThat(instance.zone()).isEqualTo(MotoCloud.ZONE_B);
        assertThat(instance.instanceType()).isEqualTo("t3.micro");
        assertThat(instance.nodePool()).isEqualTo("general");
        assertThat(instance.nodeName()).isNotBlank();
        var ec2Instance = cloud.ec2.describeInstances(r -> r.instanceIds(id)).reservations().getFirst()
                .instances().getFirst();
        assertThat(ec2Instance.subnetId()).isEqualTo(cloud.nodeSubnetB);
        assertThat(instance.addresses()).contains(
                new Instance.Address("InternalIP", ec2Instance.privateIpAddress()),
                new Instance.Address("InternalDNS", ec2Instance.privateDnsName()));
        assertThat(instance.nodeName()).isEqualTo(ec2Instance.privateDnsName());
        Map<String, String> wanted = Map.of("kumo:cluster", "tags", "kubernetes.io/cluster/tags", "owned",
                "kumo:node-pool", "general", "kumo:client-token", "general-1-0", "team", "infra");
        assertThat(tags(ec2Instance.tags())).containsAllEntriesOf(wanted);
        List<Volume> volumes = cloud.ec2.describeVolumes(r -> r.filters(
                Filter.builder().name("attachment.instance-id").values(id).build())).volumes();
        assertThat(volumes).isNotEmpty();
        assertThat(tags(volumes.getFirst().tags())).containsAllEntriesOf(wanted);
    }

    @Test
    void aSecondLaunchWithTheSameTokenReturnsTheFirstInstance() throws Exception {
        Instances instances = cloud.provider("retry").instances();
        InstanceRequest request = new InstanceRequest("pool-a-3-7", "pool-a", "t3.micro", null, Map.of());

        Instance first = instances.launch(request);
        Instance second = instances.launch(request);

        assertThat(second.providerId()).isEqualTo(first.providerId());
        assertThat(clusterInstanceIds("retry")).hasSize(1);
    }

    @Test
    void listFindAndTerminate() throws Exception {
        Instances instances = cloud.provider("lifecycle").instances();
        Instance a = instances.launch(new InstanceRequest("a-1", "a", "t3.micro", MotoCloud.ZONE_A, Map.of()));
        Instance b = instances.launch(new InstanceRequest("b-1", "b", "t3.small", MotoCloud.ZONE_B, Map.of()));

        assertThat(instances.list()).extracting(Instance::providerId)
                .containsExactlyInAnyOrder(a.providerId(), b.providerId());
        assertThat(instances.find(b.providerId())).get().satisfies(found -> {
            assertThat(found.nodePool()).isEqualTo("b");
            assertThat(found.state()).isEqualTo(InstanceState.RUNNING);
        });

        instances.terminate(a.providerId());
        instances.terminate(a.providerId()); // again: already terminated is success

        assertThat(instances.list()).extracting(Instance::providerId).containsExactly(b.providerId());
        assertThat(instances.find(a.providerId())).isEmpty();
        String aId = AwsProviderIds.instanceId(a.providerId());
        var state = cloud.ec2.describeInstances(r -> r.instanceIds(aId))
                .reservations().getFirst().instances().getFirst().state().nameAsString();
        assertThat(state).isIn("shutting-down", "terminated");
    }

    @Test
    void instancesOfAnotherClusterAreNotListed() throws Exception {
        Instance mine = cloud.provider("mine").instances()
                .launch(new InstanceRequest("p-1", "p", "t3.micro", null, Map.of()));
        Instance theirs = cloud.provider("theirs").instances()
                .launch(new InstanceRequest("p-1", "p", "t3.micro", null, Map.of()));

        assertThat(cloud.provider("mine").instances().list()).extracting(Instance::providerId)
                .containsExactly(mine.providerId());
        assertThat(theirs.providerId()).isNotEqualTo(mine.providerId());
    }

    @Test
    void unknownInstancesAreNotFoundAndTheirTerminationSucceeds() throws Exception {
        Instances instances = cloud.provider("unknown").instances();
        String unknown = "aws:///" + MotoCloud.ZONE_A + "/i-0123456789abcdef0";

        assertThat(instances.find(unknown)).isEmpty();
        instances.terminate(unknown);
    }

    @Test
    void anInstanceTypeEc2DoesNotHaveIsNotRetryable() {
        Instances instances = cloud.provider("badtype").instances();

        assertThatThrownBy(() -> instances.launch(new InstanceRequest("x-1", "x", "m0.nonexistent", null, Map.of())))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("RunInstances", "InvalidInstanceType");
                });
        assertThat(clusterInstanceIds("badtype")).isEmpty();
    }

    @Test
    void aProviderIdOfAnotherCloudIsNotRetryable() {
        Instances instances = cloud.provider("foreign").instances();

        assertThatThrownBy(() -> instances.terminate("kumo-local:///node-1"))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.retryable()).isFalse());
    }

    static List<String> clusterInstanceIds(String cluster) {
        return MotoCloud.get().ec2.describeInstances(r -> r.filters(
                        Filter.builder().name("tag:kumo:cluster").values(cluster).build(),
                        Filter.builder().name("instance-state-name").values("pending", "running").build()))
                .reservations().stream().flatMap(res -> res.instances().stream())
                .map(software.amazon.awssdk.services.ec2.model.Instance::instanceId).toList();
    }

    static Map<String, String> tags(List<Tag> tags) {
        return tags.stream().collect(Collectors.toMap(Tag::key, Tag::value));
    }
}
