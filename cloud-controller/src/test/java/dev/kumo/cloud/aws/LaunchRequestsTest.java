package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.InstanceRequest;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The RunInstances a launch sends, built without a server. */
class LaunchRequestsTest {
    private static final AwsCloudConfig CONFIG = new AwsCloudConfig("prod", "lt-0abc", "7",
            Map.of("eu-west-1a", "subnet-a", "eu-west-1b", "subnet-b", "eu-west-1c", "subnet-c"), "rtb-1",
            List.of("subnet-x"));

    @Test
    void runInstancesFromTheLaunchTemplateWithTheTypeTheZonesSubnetTheTokenAndTags() throws Exception {
        RunInstancesRequest run = new LaunchRequests(CONFIG).runInstances(
                new InstanceRequest("general-4-2", "general", "m7g.large", "eu-west-1b", Map.of("team", "infra")));

        assertThat(run.launchTemplate().launchTemplateId()).isEqualTo("lt-0abc");
        assertThat(run.launchTemplate().launchTemplateName()).isNull();
        assertThat(run.launchTemplate().version()).isEqualTo("7");
        assertThat(run.instanceTypeAsString()).isEqualTo("m7g.large");
        assertThat(run.subnetId()).isEqualTo("subnet-b");
        assertThat(run.minCount()).isEqualTo(1);
        assertThat(run.maxCount()).isEqualTo(1);
        assertThat(run.clientToken()).isEqualTo("prod/general-4-2");
        assertThat(run.imageId()).isNull(); // the launch template's
        assertThat(run.userData()).isNull(); // the launch template's
        assertThat(run.tagSpecifications()).extracting(TagSpecification::resourceType)
                .containsExactly(ResourceType.INSTANCE, ResourceType.VOLUME);
        for (TagSpecification spec : run.tagSpecifications()) {
            assertThat(spec.tags()).extracting(Tag::key, Tag::value).containsExactly(
                    org.assertj.core.groups.Tuple.tuple("team", "infra"),
                    org.assertj.core.groups.Tuple.tuple("kumo:cluster", "prod"),
                    org.assertj.core.groups.Tuple.tuple("kubernetes.io/cluster/prod", "owned"),
                    org.assertj.core.groups.Tuple.tuple("kumo:node-pool", "general"),
                    org.assertj.core.groups.Tuple.tuple("kumo:client-token", "general-4-2"));
        }
    }

    @Test
    void aLaunchTemplateNameIsSentAsAName() throws Exception {
        AwsCloudConfig byName = new AwsCloudConfig("prod", "kumo-nodes", null, Map.of("z", "subnet-z"), "",
                List.of());

        RunInstancesRequest run = new LaunchRequests(byName).runInstances(request("t-1", null));

        assertThat(run.launchTemplate().launchTemplateName()).isEqualTo("kumo-nodes");
        assertThat(run.launchTemplate().launchTemplateId()).isNull();
        assertThat(run.launchTemplate().version()).isEqualTo("$Default");
    }

    @Test
    void theSameRequestBuildsTheSameRunInstancesAndTokensSpreadOverTheZones() throws Exception {
        LaunchRequests requests = new LaunchRequests(CONFIG);
        InstanceRequest request = new InstanceRequest("p-1-0", "p", "m7g.large", null,
                Map.of("b", "2", "a", "1", "c", "3"));

        assertThat(new LaunchRequests(CONFIG).runInstances(request)).isEqualTo(requests.runInstances(request));
        Set<String> subnets = new HashSet<>();
        for (int ordinal = 0; ordinal < 30; ordinal++) {
            subnets.add(requests.subnet(request("p-1-" + ordinal, null)));
        }
        assertThat(subnets).containsExactlyInAnyOrder("subnet-a", "subnet-b", "subnet-c");
    }

    @Test
    void aTokenEc2CannotTakeIsHashedToSixtyFourHexDigits() {
        String token = "node-pool-with-a-rather-long-name/generation-12345/ordinal-67890/and-more";
        String sent = LaunchRequests.clientToken("prod", token);

        assertThat(sent).hasSize(64).matches("[0-9a-f]{64}").isEqualTo(LaunchRequests.clientToken("prod", token));
        assertThat(LaunchRequests.clientToken("staging", token)).isNotEqualTo(sent);
        assertThat(LaunchRequests.clientToken("prod", "pool-ü")).hasSize(64);
    }

    @Test
    void aZoneWithoutASubnetOrNoSubnetsAtAllIsNotRetryable() {
        assertThatThrownBy(() -> new LaunchRequests(CONFIG).runInstances(request("x", "us-east-1a")))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("us-east-1a", AwsCloudConfig.ENV_NODE_SUBNETS);
                });
        AwsCloudConfig noSubnets = new AwsCloudConfig("prod", "lt-1", "", Map.of(), "", List.of());
        assertThatThrownBy(() -> new LaunchRequests(noSubnets).runInstances(request("x", null)))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.getMessage())
                        .contains(AwsCloudConfig.ENV_NODE_SUBNETS));
        AwsCloudConfig noTemplate = new AwsCloudConfig("prod", "", "", Map.of("z", "s"), "", List.of());
        assertThatThrownBy(() -> new LaunchRequests(noTemplate).runInstances(request("x", null)))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.getMessage())
                        .contains(AwsCloudConfig.ENV_LAUNCH_TEMPLATE));
    }

    private static InstanceRequest request(String token, String zone) {
        return new InstanceRequest(token, "p", "m7g.large", zone, Map.of());
    }
}
