package dev.kumo.cloud.aws;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerRequest.Port;
import dev.kumo.cloud.LoadBalancerRequest.Target;
import dev.kumo.cloud.LoadBalancerStatus;
import dev.kumo.cloud.LoadBalancers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** {@link AwsLoadBalancers} against moto's ELBv2: the load balancer, target groups, listeners and targets it leaves. */
class AwsLoadBalancersTest {
    private static MotoCloud cloud;
    private static AwsCloudProvider provider;
    private static List<Instance> nodes;

    @BeforeAll
    static void startMoto() throws CloudException {
        cloud = MotoCloud.get();
        provider = cloud.provider("lbs");
        nodes = List.of(
                provider.instances().launch(new InstanceRequest("lb-node-1", "p", "t3.micro", MotoCloud.ZONE_A,
                        Map.of())),
                provider.instances().launch(new InstanceRequest("lb-node-2", "p", "t3.micro", MotoCloud.ZONE_B,
                        Map.of())),
                provider.instances().launch(new InstanceRequest("lb-node-3", "p", "t3.micro", MotoCloud.ZONE_B,
                        Map.of())));
    }

    @Test
    void ensureCreatesTheLoadBalancerATargetGroupAndListenerPerPortAndRegistersTheNodes() throws Exception {
        LoadBalancers lbs = provider.loadBalancers();
        String name = "a0f1e2d3c4b5a69788796a5b4c3d2e1f";
        LoadBalancerRequest request = new LoadBalancerRequest(name, "default/web",
                List.of(new Port("http", "TCP", 80, 30080), new Port("dns", "UDP", 53, 30053)),
                targets(nodes.get(0), nodes.get(1)));

        LoadBalancerStatus status = lbs.ensure(request);

        LoadBalancer lb = loadBalancer(name);
        assertThat(lb.typeAsString()).isEqualTo("network");
        assertThat(lb.schemeAsString()).isEqualTo("internet-facing");
        assertThat(lb.vpcId()).isEqualTo(cloud.vpcId);
        assertThat(status.name()).isEqualTo(name);
        assertThat(status.ingress()).singleElement().satisfies(ingress -> {
            assertThat(ingress.hostname()).isEqualTo(lb.dnsName()).isNotBlank();
            assertThat(ingress.ip()).isNull();
        });
        assertThat(tags(lb.loadBalancerArn())).containsEntry("kumo:cluster", "lbs")
                .containsEntry("kubernetes.io/cluster/lbs", "owned")
                .containsEntry("kubernetes.io/service-name", "default/web");

        Map<String, TargetGroup> groups = targetGroups(lb);
        assertThat(groups.keySet()).containsExactlyInAnyOrder("a0f1e2d3c4b5a6978879-tcp-30080",
                "a0f1e2d3c4b5a6978879-udp-30053");
        TargetGroup http = groups.get("a0f1e2d3c4b5a6978879-tcp-30080");
        assertThat(http.protocolAsString()).isEqualTo("TCP");
        assertThat(http.port()).isEqualTo(30080);
        assertThat(http.targetTypeAsString()).isEqualTo("instance");
        assertThat(http.healthCheckProtocolAsString()).isEqualTo("TCP");
        assertThat(http.healthCheckPort()).isEqualTo("30080");
        assertThat(groups.get("a0f1e2d3c4b5a6978879-udp-30053").protocolAsString()).isEqualTo("UDP");

        assertThat(listeners(lb)).extracting(Listener::protocolAsString, Listener::port,
                        l -> l.defaultActions().getFirst().targetGroupArn())
                .containsExactlyInAnyOrder(
                        tuple("TCP", 80, http.targetGroupArn()),
                        tuple("UDP", 53, groups.get("a0f1e2d3c4b5a6978879-udp-30053").targetGroupArn()));
        for (TargetGroup group : groups.values()) {
            assertThat(registered(group)).containsExactlyInAnyOrder(id(nodes.get(0)), id(nodes.get(1)));
            assertThat(tags(group.targetGroupArn())).containsEntry("kumo:cluster", "lbs");
        }
        for (Listener listener : listeners(lb)) {
            assertThat(tags(listener.listenerArn())).containsEntry("kubernetes.io/service-name", "default/web");
        }
        assertThat(lbs.find(name)).contains(status);
    }

    /** A retry after a lost answer: the second ensure finds everything the first made and changes nothing. */
    @Test
    void ensureTwiceWithTheSameRequestKeepsOneOfEverything() throws Exception {
        LoadBalancers lbs = provider.loadBalancers();
        String name = "a2222222333333334444444455555555";
        LoadBalancerRequest request = new LoadBalancerRequest(name, "default/twice",
                List.of(new Port("http", "TCP", 80, 30120)), targets(nodes.get(0)));

        LoadBalancerStatus first = lbs.ensure(request);
        List<String> listenerArns = listeners(loadBalancer(name)).stream().map(Listener::listenerArn).toList();
        LoadBalancerStatus second = lbs.ensure(request);

        assertThat(second).isEqualTo(first);
        assertThat(allLoadBalancerNames()).filteredOn(name::equals).hasSize(1);
        assertThat(allTargetGroupNames()).filteredOn(n -> n.startsWith("a2222222333333334444-"))
                .containsExactly("a2222222333333334444-tcp-30120");
        assertThat(listeners(loadBalancer(name))).extracting(Listener::listenerArn)
                .containsExactlyElementsOf(listenerArns);
        lbs.delete(name);
    }

    @Test
    void ensureAgainWithOtherPortsAndTargetsConverges() throws Exception {
        LoadBalancers lbs = provider.loadBalancers();
        String name = "a1111111222222223333333344444444";
        lbs.ensure(new LoadBalancerRequest(name, "default/api",
                List.of(new Port("http", "TCP", 80, 30081), new Port("https", "TCP", 443, 30443)),
                targets(nodes.get(0), nodes.get(1))));

        // http moves to another NodePort, https goes, metrics comes; node 0 leaves and node 2 joins.
        lbs.ensure(new LoadBalancerRequest(name, "default/api",
                List.of(new Port("http", "TCP", 80, 30082), new Port("metrics", "TCP", 9090, 30909)),
                targets(nodes.get(1), nodes.get(2))));

        LoadBalancer lb = loadBalancer(name);
        Map<String, TargetGroup> groups = targetGroups(lb);
        assertThat(groups.keySet()).containsExactlyInAnyOrder("a1111111222222223333-tcp-30082",
                "a1111111222222223333-tcp-30909");
        assertThat(listeners(lb)).extracting(Listener::port, l -> l.defaultActions().getFirst().targetGroupArn())
                .containsExactlyInAnyOrder(
                        tuple(80, groups.get("a1111111222222223333-tcp-30082").targetGroupArn()),
                        tuple(9090, groups.get("a1111111222222223333-tcp-30909").targetGroupArn()));
        for (TargetGroup group : groups.values()) {
            assertThat(registered(group)).containsExactlyInAnyOrder(id(nodes.get(1)), id(nodes.get(2)));
        }
        assertThat(allTargetGroupNames()).filteredOn(n -> n.startsWith("a1111111222222223333-"))
                .containsExactlyInAnyOrder("a1111111222222223333-tcp-30082", "a1111111222222223333-tcp-30909");
        assertThat(allLoadBalancerNames()).filteredOn(name::equals).hasSize(1);
    }

    @Test
    void deleteRemovesListenersTheLoadBalancerAndItsTargetGroupsAndIsIdempotent() throws Exception {
        LoadBalancers lbs = provider.loadBalancers();
        String name = "a5555555666666667777777788888888";
        lbs.ensure(new LoadBalancerRequest(name, "default/gone", List.of(new Port("http", "TCP", 80, 30090)),
                targets(nodes.get(0))));

        lbs.delete(name);
        lbs.delete(name);

        assertThat(lbs.find(name)).isEmpty();
        assertThat(allLoadBalancerNames()).doesNotContain(name);
        assertThat(allTargetGroupNames()).noneMatch(n -> n.startsWith("a5555555666666667777-"));
    }

    @Test
    void theSchemeAnnotationMakesAnInternalLoadBalancer() throws Exception {
        String name = "a9999999000000001111111122222222";
        provider.loadBalancers().ensure(new LoadBalancerRequest(name, "default/internal",
                List.of(new Port("http", "TCP", 80, 30100)), targets(nodes.get(0)),
                Map.of(NlbRequests.SCHEME_ANNOTATION, "internal")));

        assertThat(loadBalancer(name).schemeAsString()).isEqualTo("internal");
        provider.loadBalancers().delete(name);
    }

    @Test
    void anInvalidNameIsNotRetryableAndCreatesNothing() {
        String name = "web-service-with-a-name-much-too-long-for-elbv2";
        assertThatThrownBy(() -> provider.loadBalancers().ensure(new LoadBalancerRequest(name, "default/web",
                List.of(new Port("http", "TCP", 80, 30110)), targets(nodes.get(0)))))
                .isInstanceOfSatisfying(CloudException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(allLoadBalancerNames()).doesNotContain(name);
    }

    static LoadBalancer loadBalancer(String name) {
        return MotoCloud.get().elb.describeLoadBalancers(r -> r.names(name)).loadBalancers().getFirst();
    }

    /**
     * The target groups the load balancer's listeners forward to. (Not DescribeTargetGroups by load balancer: moto
     * does not count a target group that ModifyListener points at as the load balancer's, ELBv2 does.)
     */
    static Map<String, TargetGroup> targetGroups(LoadBalancer lb) {
        List<String> arns = listeners(lb).stream().map(l -> l.defaultActions().getFirst().targetGroupArn()).toList();
        return MotoCloud.get().elb.describeTargetGroups(r -> r.targetGroupArns(arns)).targetGroups().stream()
                .collect(Collectors.toMap(TargetGroup::targetGroupName, g -> g));
    }

    static List<Listener> listeners(LoadBalancer lb) {
        return MotoCloud.get().elb.describeListeners(r -> r.loadBalancerArn(lb.loadBalancerArn())).listeners();
    }

    static List<String> registered(TargetGroup group) {
        return MotoCloud.get().elb.describeTargetHealth(r -> r.targetGroupArn(group.targetGroupArn()))
                .targetHealthDescriptions().stream().map(d -> d.target().id()).toList();
    }

    /** Every load balancer's name, a name as often as there are load balancers of it. */
    static List<String> allLoadBalancerNames() {
        return MotoCloud.get().elb.describeLoadBalancers().loadBalancers().stream()
                .map(LoadBalancer::loadBalancerName).toList();
    }

    static List<String> allTargetGroupNames() {
        return MotoCloud.get().elb.describeTargetGroups().targetGroups().stream().map(TargetGroup::targetGroupName).toList();
    }

    private static Map<String, String> tags(String arn) {
        return cloud.elb.describeTags(r -> r.resourceArns(arn)).tagDescriptions().getFirst().tags().stream()
                .collect(Collectors.toMap(t -> t.key(), t -> t.value()));
    }

    static List<Target> targets(Instance... instances) {
        return java.util.Arrays.stream(instances).map(i -> new Target(i.providerId(), i.addresses().getFirst()
                .address())).toList();
    }

    static String id(Instance instance) throws CloudException {
        return AwsProviderIds.instanceId(instance.providerId());
    }
}
