package dev.kumo.cloud.aws;

import dev.kumo.apimachinery.aws.AwsClients;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.LoadBalancerRequest;
import dev.kumo.cloud.LoadBalancerRequest.Port;
import dev.kumo.cloud.LoadBalancerStatus;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.RunInstancesRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateLoadBalancerRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ElasticLoadBalancingV2Exception;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 5's retry test: the same launch or ensure run twice at once (a Lambda invocation retried while the first still
 * runs) leaves one instance and one load balancer, as Describe* shows.
 */
class AwsConcurrentRetryTest {
    private static MotoCloud cloud;

    @BeforeAll
    static void startMoto() {
        cloud = MotoCloud.get();
    }

    /**
     * Both ensures send ELBv2 the very same CreateLoadBalancer (same name and settings), which is what ELBv2 needs to
     * hand both the one load balancer (it keeps names unique and answers a repeated create with the existing one); the
     * one that comes second may find the first's by name and send nothing. Both succeed.
     */
    @Test
    void twoConcurrentEnsuresSendTheSameCreateLoadBalancer() throws Exception {
        List<SdkRequest> sent = new CopyOnWriteArrayList<>();
        AwsCloudProvider provider = recordingProvider("race-lb-requests", sent);
        LoadBalancerRequest request = raceRequest(provider, "ac0d1e2f3a40516273849a0b1c2d3e40");

        List<LoadBalancerStatus> results = twice(() -> provider.loadBalancers().ensure(request));

        assertThat(results).allSatisfy(status -> assertThat(status.name()).isEqualTo(request.name()));
        List<SdkRequest> creates = sent.stream().filter(CreateLoadBalancerRequest.class::isInstance).toList();
        assertThat(creates).isNotEmpty().allSatisfy(create -> assertThat(create).isEqualTo(creates.getFirst()));
    }

    @Test
    void twoConcurrentEnsuresMakeOneLoadBalancerWithOneTargetGroupAndListenerPerPort() throws Exception {
        Assumptions.assumeTrue(emulatorKeepsLoadBalancerNamesUnique(), "moto's CreateLoadBalancer makes a second "
                + "load balancer of the same name (ELBv2 keeps names unique per region); this test runs against an "
                + "emulator that does, and twoConcurrentEnsuresSendTheSameCreateLoadBalancer checks this side");
        AwsCloudProvider provider = cloud.provider("race-lb");
        String name = "ab0c1d2e3f40516273849a0b1c2d3e4f";
        LoadBalancerRequest request = raceRequest(provider, name);

        List<LoadBalancerStatus> results = twice(() -> provider.loadBalancers().ensure(request));

        assertThat(results.get(0)).isEqualTo(results.get(1));
        List<LoadBalancer> lbs = cloud.elb.describeLoadBalancers().loadBalancers().stream()
                .filter(lb -> lb.loadBalancerName().equals(name)).toList();
        assertThat(lbs).hasSize(1);
        assertThat(cloud.elb.describeTargetGroups().targetGroups()).extracting(TargetGroup::targetGroupName)
                .filteredOn(n -> n.startsWith(NlbRequests.targetGroupPrefix(name)))
                .containsExactlyInAnyOrder("ab0c1d2e3f4051627384-tcp-31080", "ab0c1d2e3f4051627384-tcp-31443");
        assertThat(AwsLoadBalancersTest.listeners(lbs.getFirst())).hasSize(2);
    }

    /**
     * Both launches send EC2 the very same RunInstances (same client token, subnet and tags), which is what EC2's
     * idempotency needs to hand both the one instance; the one that comes second may find the first's by its tag and
     * send nothing.
     */
    @Test
    void twoConcurrentLaunchesSendTheSameRunInstances() throws Exception {
        List<SdkRequest> sent = new CopyOnWriteArrayList<>();
        AwsCloudProvider provider = recordingProvider("race-requests", sent);
        InstanceRequest request = new InstanceRequest("pool-b-1-0", "pool-b", "t3.micro", null, Map.of("a", "b"));

        twice(() -> provider.instances().launch(request));

        List<RunInstancesRequest> runs = sent.stream().filter(RunInstancesRequest.class::isInstance)
                .map(RunInstancesRequest.class::cast).toList();
        assertThat(runs).isNotEmpty().allSatisfy(run -> {
            assertThat(run).isEqualTo(runs.getFirst());
            assertThat(run.clientToken()).isEqualTo("race-requests/pool-b-1-0");
        });
    }

    @Test
    void twoConcurrentLaunchesMakeOneInstance() throws Exception {
        Assumptions.assumeTrue(emulatorHonoursClientTokens(), "moto's RunInstances ignores ClientToken (EC2 returns "
                + "the first call's instance to a second call with the same token); this test runs against an "
                + "emulator that honours it, and twoConcurrentLaunchesSendTheSameRunInstances checks this side");
        AwsCloudProvider provider = cloud.provider("race-instances");
        InstanceRequest request = new InstanceRequest("pool-c-1-0", "pool-c", "t3.micro", null, Map.of());

        List<Instance> results = twice(() -> provider.instances().launch(request));

        assertThat(results.get(0).providerId()).isEqualTo(results.get(1).providerId());
        assertThat(AwsInstancesTest.clusterInstanceIds("race-instances")).hasSize(1);
    }

    /** Runs the call on two threads released at the same moment; both must succeed. */
    private static <T> List<T> twice(Callable<T> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            Callable<T> gated = () -> {
                start.await();
                return call.call();
            };
            Future<T> first = pool.submit(gated);
            Future<T> second = pool.submit(gated);
            start.countDown();
            return List.of(first.get(60, TimeUnit.SECONDS), second.get(60, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    /** Whether the emulator gives a second RunInstances with the same token the first one's instance. */
    private static boolean emulatorHonoursClientTokens() {
        String image = cloud.ec2.describeImages(r -> r.owners("amazon")).images().getFirst().imageId();
        for (int i = 0; i < 2; i++) {
            cloud.ec2.runInstances(r -> r.imageId(image).instanceType("t3.micro").minCount(1).maxCount(1)
                    .subnetId(cloud.nodeSubnetA).clientToken("kumo-token-probe")
                    .tagSpecifications(t -> t.resourceType(ResourceType.INSTANCE)
                            .tags(tag -> tag.key("kumo:probe").value("client-token"))));
        }
        int launched = cloud.ec2.describeInstances(r -> r.filters(
                        Filter.builder().name("tag:kumo:probe").values("client-token").build()))
                .reservations().stream().mapToInt(res -> res.instances().size()).sum();
        return launched == 1;
    }

    /** Whether the emulator refuses or merges a second load balancer of the same name. */
    private static boolean emulatorKeepsLoadBalancerNamesUnique() {
        String name = "kumo-name-probe";
        for (int i = 0; i < 2; i++) {
            try {
                cloud.elb.createLoadBalancer(r -> r.name(name).type(LoadBalancerTypeEnum.NETWORK)
                        .subnets(cloud.lbSubnetA));
            } catch (ElasticLoadBalancingV2Exception duplicate) {
                assertThat(AwsErrors.code(duplicate)).isEqualTo("DuplicateLoadBalancerName");
            }
        }
        // Every load balancer of the name (moto's DescribeLoadBalancers by name answers with one of them).
        List<LoadBalancer> probes = cloud.elb.describeLoadBalancers().loadBalancers().stream()
                .filter(lb -> lb.loadBalancerName().equals(name)).toList();
        probes.forEach(lb -> cloud.elb.deleteLoadBalancer(r -> r.loadBalancerArn(lb.loadBalancerArn())));
        return probes.size() == 1;
    }

    private static LoadBalancerRequest raceRequest(AwsCloudProvider provider, String name) throws Exception {
        Instance node = provider.instances().launch(new InstanceRequest(name + "-node", "p", "t3.micro", null,
                Map.of()));
        return new LoadBalancerRequest(name, "default/race",
                List.of(new Port("http", "TCP", 80, 31080), new Port("https", "TCP", 443, 31443)),
                AwsLoadBalancersTest.targets(node));
    }

    /** A provider whose clients record every request they send (both threads share it, as a retry would not). */
    private static AwsCloudProvider recordingProvider(String cluster, List<SdkRequest> sent) {
        Map<String, String> env = cloud.environment(cluster);
        ExecutionInterceptor recorder = new ExecutionInterceptor() {
            @Override
            public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
                sent.add(context.request());
            }
        };
        Ec2Client ec2 = AwsClients.configure(Ec2Client.builder(), env, AwsCloudConfig.ENV_AWS_ENDPOINT)
                .overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
        ElasticLoadBalancingV2Client elb = AwsClients.configure(ElasticLoadBalancingV2Client.builder(), env,
                AwsCloudConfig.ENV_AWS_ENDPOINT).overrideConfiguration(c -> c.addExecutionInterceptor(recorder)).build();
        return new AwsCloudProvider(ec2, elb, AwsCloudConfig.fromEnvironment(env));
    }
}
