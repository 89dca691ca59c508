package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerRequest.Port;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateListenerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateTargetGroupRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** The CreateLoadBalancer, CreateTargetGroup and CreateListener requests of a Service, built without a server. */
class NlbRequestsTest {
    private static final AwsCloudConfig CONFIG = new AwsCloudConfig("prod", "", "", Map.of(), "",
            List.of("subnet-1", "subnet-2"));
    /** cloud-controller-manager's name of the Service with uid 0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0. */
    private static final String NAME = "a0f1e2d3c4b5a69788796a5b4c3d2e1f";

    @Test
    void createLoadBalancerIsANetworkLoadBalancerInTheConfiguredSubnetsTaggedWithClusterAndService()
            throws Exception {
        CreateLoadBalancerRequest create = new NlbRequests(CONFIG).createLoadBalancer(request(Map.of()));

        assertThat(create.name()).isEqualTo(NAME);
        assertThat(create.typeAsString()).isEqualTo("network");
        assertThat(create.scheme()).isEqualTo(LoadBalancerSchemeEnum.INTERNET_FACING);
        assertThat(create.subnets()).containsExactly("subnet-1", "subnet-2");
        assertThat(create.tags()).extracting(Tag::key, Tag::value).containsExactly(
                tuple("kumo:cluster", "prod"), tuple("kubernetes.io/cluster/prod", "owned"),
                tuple("kubernetes.io/service-name", "shop/web"));
    }

    @Test
    void theSchemeFollowsTheAnnotations() throws Exception {
        assertThat(NlbRequests.scheme(request(Map.of(NlbRequests.SCHEME_ANNOTATION, "internal"))))
                .isEqualTo(LoadBalancerSchemeEnum.INTERNAL);
        assertThat(NlbRequests.scheme(request(Map.of(NlbRequests.SCHEME_ANNOTATION, "internet-facing"))))
                .isEqualTo(LoadBalancerSchemeEnum.INTERNET_FACING);
        assertThat(NlbRequests.scheme(request(Map.of(NlbRequests.INTERNAL_ANNOTATION, "true"))))
                .isEqualTo(LoadBalancerSchemeEnum.INTERNAL);
        assertThat(NlbRequests.scheme(request(Map.of(NlbRequests.INTERNAL_ANNOTATION, "false"))))
                .isEqualTo(LoadBalancerSchemeEnum.INTERNET_FACING);
        assertThatThrownBy(() -> NlbRequests.scheme(request(Map.of(NlbRequests.SCHEME_ANNOTATION, "private"))))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("shop/web", NlbRequests.SCHEME_ANNOTATION, "private");
                });
    }

    @Test
    void createTargetGroupTargetsTheNodePortOfInstancesAndHealthChecksItOverTcp() throws Exception {
        CreateTargetGroupRequest create = new NlbRequests(CONFIG).createTargetGroup(request(Map.of()),
                new Port("dns", "UDP", 53, 30053), "vpc-1");

        assertThat(create.name()).isEqualTo("a0f1e2d3c4b5a6978879-udp-30053").hasSizeLessThanOrEqualTo(32);
        assertThat(create.protocolAsString()).isEqualTo("UDP");
        assertThat(create.port()).isEqualTo(30053);
        assertThat(create.vpcId()).isEqualTo("vpc-1");
        assertThat(create.targetTypeAsString()).isEqualTo("instance");
        assertThat(create.healthCheckProtocolAsString()).isEqualTo("TCP");
        assertThat(create.healthCheckPort()).isEqualTo("30053");
        assertThat(create.tags()).extracting(Tag::key).contains("kumo:cluster", "kubernetes.io/service-name");
    }

    @Test
    void createListenerForwardsTheServicePortToItsTargetGroup() throws Exception {
        CreateListenerRequest create = new NlbRequests(CONFIG).createListener(request(Map.of()), "arn:lb",
                new Port("http", "TCP", 80, 30080), "arn:tg");

        assertThat(create.loadBalancerArn()).isEqualTo("arn:lb");
        assertThat(create.protocolAsString()).isEqualTo("TCP");
        assertThat(create.port()).isEqualTo(80);
        assertThat(create.defaultActions()).singleElement().satisfies(action -> {
            assertThat(action.typeAsString()).isEqualTo("forward");
            assertThat(action.targetGroupArn()).isEqualTo("arn:tg");
        });
        assertThat(create.tags()).extracting(Tag::key).contains("kumo:cluster", "kubernetes.io/service-name");
    }

    @Test
    void namesElbv2CannotTakeAndProtocolsANetworkLoadBalancerDoesNotHaveAreNotRetryable() {
        assertThatThrownBy(() -> NlbRequests.checkedName(NAME + "x"))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> NlbRequests.checkedName("-web"))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.retryable()).isFalse());
        assertThatThrownBy(() -> NlbRequests.protocol(new Port("sctp", "SCTP", 9, 30009)))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.getMessage()).contains("SCTP"));
        assertThatThrownBy(() -> new NlbRequests(new AwsCloudConfig("prod", "", "", Map.of(), "", List.of()))
                .createLoadBalancer(request(Map.of())))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.getMessage())
                        .contains(AwsCloudConfig.ENV_LB_SUBNETS));
    }

    private static LoadBalancerRequest request(Map<String, String> annotations) {
        return new LoadBalancerRequest(NAME, "shop/web", List.of(new Port("http", "TCP", 80, 30080)), List.of(),
                annotations);
    }
}
