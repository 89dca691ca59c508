package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider's environment variables, and provider IDs. */
class AwsCloudConfigTest {
    @Test
    void readsEveryVariable() {
        AwsCloudConfig config = AwsCloudConfig.fromEnvironment(Map.of(
                "KUMO_CLUSTER", "prod",
                "KUMO_LAUNCH_TEMPLATE_ID", "lt-0abc",
                "KUMO_LAUNCH_TEMPLATE_VERSION", "$Latest",
                "KUMO_NODE_SUBNETS", " eu-west-1b=subnet-2, eu-west-1a = subnet-1 ,",
                "KUMO_ROUTE_TABLE_ID", "rtb-9",
                "KUMO_LB_SUBNETS", "subnet-3,subnet-4"));

        assertThat(config).isEqualTo(new AwsCloudConfig("prod", "lt-0abc", "$Latest",
                Map.of("eu-west-1a", "subnet-1", "eu-west-1b", "subnet-2"), "rtb-9", List.of("subnet-3", "subnet-4")));
        assertThat(config.zones()).containsExactly("eu-west-1a", "eu-west-1b");
    }

    @Test
    void onlyTheClusterIsRequiredAndMalformedSubnetsAreRefused() {
        assertThat(AwsCloudConfig.fromEnvironment(Map.of("KUMO_CLUSTER", "c")).launchTemplateVersion())
                .isEqualTo("$Default");
        assertThatThrownBy(() -> AwsCloudConfig.fromEnvironment(Map.of()))
                .hasMessageContaining("KUMO_CLUSTER");
        assertThatThrownBy(() -> AwsCloudConfig.fromEnvironment(Map.of("KUMO_CLUSTER", "c",
                "KUMO_NODE_SUBNETS", "subnet-1"))).hasMessageContaining("zone=subnet");
        assertThatThrownBy(() -> AwsCloudConfig.fromEnvironment(Map.of("KUMO_CLUSTER", "c",
                "KUMO_NODE_SUBNETS", "a=s1,a=s2"))).hasMessageContaining("twice");
    }

    @Test
    void providerIdsAsCloudProviderAwsWritesAndReadsThem() throws Exception {
        assertThat(AwsProviderIds.of("eu-west-1a", "i-0abc")).isEqualTo("aws:///eu-west-1a/i-0abc");
        assertThat(AwsProviderIds.instanceId("aws:///eu-west-1a/i-0abc")).isEqualTo("i-0abc");
        assertThat(AwsProviderIds.instanceId("aws:////i-0abc")).isEqualTo("i-0abc");
        assertThat(AwsProviderIds.instanceId("i-0abc")).isEqualTo("i-0abc");
        assertThatThrownBy(() -> AwsProviderIds.instanceId("kumo-local:///node-1"))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> AwsProviderIds.instanceId("gce://project/zone/vm"))
                .isInstanceOf(CloudException.class);
    }
}
