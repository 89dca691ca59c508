package dev.kumo.cloud.local;

import dev.kumo.cloud.CloudException;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.InstanceState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalInstancesTest {
    @TempDir
    Path directory;

    private static InstanceRequest request(String token, String pool) {
        return new InstanceRequest(token, pool, "kumo.small", null, Map.of());
    }

    @Test
    void launchIsIdempotentByClientTokenAndNamesInstancesAfterTheirPool() throws Exception {
        LocalInstances instances = new LocalInstances(directory);

        Instance first = instances.launch(request("t1", "web"));
        Instance again = instances.launch(request("t1", "web"));
        Instance second = instances.launch(request("t2", "web"));
        Instance other = instances.launch(request("t3", "batch"));

        assertThat(again).isEqualTo(first);
        assertThat(List.of(first.nodeName(), second.nodeName(), other.nodeName()))
                .containsExactly("web-1", "web-2", "batch-1");
        assertThat(first.providerId()).isEqualTo("kumo-local:///web-1");
        assertThat(first.state()).isEqualTo(InstanceState.PENDING);
        assertThat(instances.capacity("kumo.small").orElseThrow().cpu()).isEqualTo("2");
        // A restarted cluster reads the same records.
        assertThat(new LocalInstances(directory).list()).extracting(Instance::nodeName)
                .containsExactly("batch-1", "web-1", "web-2");
    }

    @Test
    void terminatedInstancesAreGoneButTheirTokensAndOrdinalsAreNotReused() throws Exception {
        LocalInstances instances = new LocalInstances(directory);
        Instance first = instances.launch(request("t1", "web"));

        instances.terminate(first.providerId());
        instances.terminate(first.providerId());
        instances.terminate("aws:///eu-west-1a/i-0abc");

        assertThat(instances.list()).isEmpty();
        assertThat(instances.find(first.providerId())).isEmpty();
        assertThat(instances.launch(request("t1", "web")).state()).isEqualTo(InstanceState.TERMINATED);
        assertThat(instances.launch(request("t2", "web")).nodeName()).isEqualTo("web-2");
    }

    @Test
    void instancesGetTheNodeNetworksAddressesAndASlotIsGivenAgainOnlyAfterEveryOtherWasUsed() throws Exception {
        LocalInstances instances = new LocalInstances(directory, NodeAddressing.parse("10.251.0:10.245"));
        Instance first = instances.launch(request("t1", "web"));
        LocalInstanceRecord record = instances.store().find("web-1").orElseThrow();
        assertThat(record.slot()).isZero();
        assertThat(record.address()).isEqualTo("10.251.0.130");
        assertThat(record.podCidr()).isEqualTo("10.245.128.0/24");
        assertThat(first.addresses()).contains(new Instance.Address("InternalIP", "10.251.0.130"));

        // the terminated instance's Node lingers: its slot waits while unused ones remain
        instances.terminate(first.providerId());
        assertThat(instances.store().find(instances.launch(request("t2", "web")).nodeName()).orElseThrow().slot())
                .isEqualTo(1);
        for (int i = 3; i <= NodeAddressing.poolSlots(); i++) {
            instances.launch(request("t" + i, "batch"));
        }
        assertThat(instances.list()).hasSize(NodeAddressing.poolSlots() - 1);
        LocalInstanceRecord reused = instances.store().find(instances.launch(request("last", "web")).nodeName())
                .orElseThrow();
        assertThat(reused.slot()).as("the one free slot, used longest ago").isZero();
        assertThat(reused.podCidr()).isEqualTo("10.245.128.0/24");
        assertThatThrownBy(() -> instances.launch(request("one-too-many", "web")))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.getMessage()).contains("at most 122 pool instances");
                });
    }

    @Test
    void concurrentLaunchesWithOneTokenRecordOneInstance() throws Exception {
        List<Future<Instance>> launches = new ArrayList<>();
        try (ExecutorService executor = Executors.newFixedThreadPool(8)) {
            for (int i = 0; i < 8; i++) {
                // A provider object per caller, as separate invocations would have.
                LocalInstances instances = new LocalInstances(directory);
                launches.add(executor.submit(() -> instances.launch(request("same", "web"))));
            }
        }
        for (Future<Instance> launch : launches) {
            assertThat(launch.get().nodeName()).isEqualTo("web-1");
        }
        assertThat(new LocalInstances(directory).store().all()).hasSize(1);
    }

    @Test
    void anUnknownInstanceTypeIsNotRetryable() {
        LocalInstances instances = new LocalInstances(directory);
        assertThatThrownBy(() -> instances.launch(new InstanceRequest("t", "web", "m7g.large", null, Map.of())))
                .isInstanceOfSatisfying(CloudException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("no instance type \"m7g.large\"").contains("kumo.small");
                });
    }
}
