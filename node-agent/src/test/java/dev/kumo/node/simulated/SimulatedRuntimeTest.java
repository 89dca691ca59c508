package dev.kumo.node.simulated;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.node.network.Ipv4Cidr;
import dev.kumo.node.network.PodIpAllocator;
import dev.kumo.node.pods.PodStatusBuilder;
import dev.kumo.node.pods.RuntimeContainer;
import dev.kumo.node.pods.RuntimePod;
import dev.kumo.controllers.testing.MutableClock;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

class SimulatedRuntimeTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final PodIpAllocator ipam = new PodIpAllocator(Ipv4Cidr.parse("10.244.0.0/24"));
    private final SimulatedRuntime runtime = new SimulatedRuntime(ipam, clock);
    private final PodStatusBuilder builder = new PodStatusBuilder("172.30.0.1");

    private static ObjectNode pod(String uid, String image) {
        return object("""
                {"metadata": {"name": "p", "namespace": "default", "uid": "%s"},
                 "spec": {"initContainers": [{"name": "setup", "image": "i"},
                                             {"name": "proxy", "image": "envoy", "restartPolicy": "Always"}],
                          "containers": [{"name": "c", "image": "%s"}]},
                 "status": {"phase": "Pending"}}""".formatted(uid, image));
    }

    @Test
    void aPodRunsAtOnceWithItsInitContainersDoneAndSidecarsRunning() {
        ObjectNode pod = pod("u1", "busybox");
        RuntimePod state = runtime.sync(pod);

        assertThat(state.sandboxReady()).isTrue();
        assertThat(state.ips()).containsExactly("10.244.0.2");
        assertThat(state.initContainers()).extracting(RuntimeContainer::state)
                .containsExactly(RuntimeContainer.State.TERMINATED, RuntimeContainer.State.RUNNING);
        assertThat(state.containers().get(0).state()).isEqualTo(RuntimeContainer.State.RUNNING);
        assertThat(state.containers().get(0).containerId()).startsWith("simulated://");
        assertThat(builder.build(pod, state, false, clock.instant()).path("phase").asText()).isEqualTo("Running");

        clock.advance(Duration.ofSeconds(30));
        assertThat(runtime.sync(pod)).as("idempotent").isEqualTo(state);
    }

    @Test
    void killingEndsEveryContainerWithExitCodeZeroAndRemovingFreesTheAddress() {
        ObjectNode pod = pod("u2", "busybox");
        runtime.sync(pod);
        clock.advance(Duration.ofSeconds(5));

        RuntimePod stopped = runtime.kill(pod, Duration.ofSeconds(30));

        assertThat(stopped.sandboxReady()).isFalse();
        assertThat(stopped.containers().get(0).state()).isEqualTo(RuntimeContainer.State.TERMINATED);
        assertThat(stopped.containers().get(0).finishedAt()).isEqualTo(clock.instant());
        assertThat(builder.build(pod, stopped, true, clock.instant()).path("phase").asText()).isEqualTo("Succeeded");
        runtime.remove("u2");
        assertThat(ipam.allocated()).isZero();
        assertThat(runtime.pods()).isZero();
    }

    @Test
    void anAdoptedPodKeepsItsAddressStartAndIds() {
        ObjectNode pod = pod("u3", "busybox");
        pod.set("status", builder.build(pod, runtime.sync(pod), false, clock.instant()));
        SimulatedRuntime restarted = new SimulatedRuntime(new PodIpAllocator(Ipv4Cidr.parse("10.244.0.0/24")),
                clock);
        clock.advance(Duration.ofMinutes(5));

        ObjectNode again = builder.build(pod, restarted.sync(pod), false, clock.instant());

        assertThat(again).isEqualTo(pod.get("status"));
    }

    @Test
    void aNewImageRestartsTheContainer() {
        runtime.sync(pod("u4", "busybox:1"));
        clock.advance(Duration.ofSeconds(3));
        RuntimeContainer restarted = runtime.sync(pod("u4", "busybox:2")).containers().get(0);
        assertThat(restarted.restartCount()).isEqualTo(1);
        assertThat(restarted.image()).isEqualTo("busybox:2");
        assertThat(restarted.startedAt()).isEqualTo(clock.instant());
    }
}
