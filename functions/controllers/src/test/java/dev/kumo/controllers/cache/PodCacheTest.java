package dev.kumo.controllers.cache;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.controllers.scheduler.loop.Fixtures;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static dev.kumo.controllers.scheduler.loop.Fixtures.createNode;
import static dev.kumo.controllers.scheduler.loop.Fixtures.createPod;
import static dev.kumo.controllers.scheduler.loop.Fixtures.node;
import static dev.kumo.controllers.scheduler.loop.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

/** The scheduler's copy of the pods against the real API: kept current by watches, listed only when it must be. */
class PodCacheTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private final KubeClient admin = CLUSTER.admin();

    @BeforeEach
    void empty() {
        Fixtures.deleteAllPods(admin);
        if (admin.get(ResourceType.NODES, "", "n1").isEmpty()) {
            createNode(admin, node("n1", "8", "110"));
        }
    }

    @Test
    void followsCreatesBindingsAndDeletesWithoutListingAgain() {
        createPod(admin, pod("a", "100m", 0));
        createPod(admin, pod("b", "100m", 0));
        PodCache cache = new PodCache(CLUSTER.scheduler(), Duration.ofMinutes(5));
        assertThat(nodesByPod(cache.current())).containsOnlyKeys("default/a", "default/b");

        createPod(admin, pod("c", "100m", 0));
        bind("a", "n1");
        Fixtures.deleteNow(admin, "b");

        assertThat(nodesByPod(cache.current())).isEqualTo(Map.of("default/a", "n1", "default/c", ""));
        assertThat(cache.lists()).isEqualTo(1);
        // Nothing changed: the copy stays as it is, still without a list.
        assertThat(nodesByPod(cache.current())).isEqualTo(Map.of("default/a", "n1", "default/c", ""));
        assertThat(cache.lists()).isEqualTo(1);
    }

    @Test
    void holdsEveryPodCreatedBeforeTheCallWhileOthersAreBeingCreated() throws Exception {
        PodCache cache = new PodCache(CLUSTER.scheduler(), Duration.ofMinutes(5));
        cache.current();
        java.util.concurrent.ExecutorService creators = java.util.concurrent.Executors.newFixedThreadPool(4);
        java.util.Set<String> created = java.util.concurrent.ConcurrentHashMap.newKeySet();
        for (int i = 0; i < 80; i++) {
            String name = "p" + i;
            creators.submit(() -> {
                createPod(admin, pod(name, "100m", 0));
                created.add("default/" + name);
                if (name.hashCode() % 2 == 0) {
                    bind(name, "n1");
                }
            });
        }
        creators.shutdown();
        while (!creators.isTerminated()) {
            java.util.Set<String> before = java.util.Set.copyOf(created);
            assertThat(nodesByPod(cache.current()).keySet()).containsAll(before);
            Thread.sleep(20);
        }
        assertThat(nodesByPod(cache.current()).keySet()).containsAll(created);
    }

    /** A watch from resourceVersion "0" would mean "the current pods, then changes": such a copy lists again. */
    @Test
    void aCopyMadeBeforeAnyPodExistedListsRatherThanWatchFromZero() {
        try (TestCluster fresh = new TestCluster()) {
            PodCache cache = new PodCache(fresh.scheduler(), Duration.ofMinutes(5));
            assertThat(cache.current()).isEmpty();
            for (String name : List.of("c", "a", "b")) {
                createPod(fresh.admin(), pod(name, "100m", 0));
            }

            assertThat(nodesByPod(cache.current())).containsOnlyKeys("default/a", "default/b", "default/c");
            assertThat(cache.lists()).isEqualTo(2);
        }
    }

    @Test
    void listsAgainOnceTheCopyIsOlderThanItMayBe() {
        createPod(admin, pod("a", "100m", 0));
        PodCache cache = new PodCache(CLUSTER.scheduler(), Duration.ZERO);
        cache.current();
        createPod(admin, pod("b", "100m", 0));

        assertThat(nodesByPod(cache.current())).containsOnlyKeys("default/a", "default/b");
        assertThat(cache.lists()).isEqualTo(2);
    }

    private void bind(String pod, String node) {
        ObjectNode binding = TestCluster.object("""
                {"apiVersion":"v1","kind":"Binding","metadata":{"name":"%s","namespace":"default"},
                 "target":{"apiVersion":"v1","kind":"Node","name":"%s"}}""".formatted(pod, node));
        admin.createSubresource(ResourceType.PODS, "default", pod, "binding", binding);
    }

    private static Map<String, String> nodesByPod(List<ObjectNode> pods) {
        return pods.stream().collect(Collectors.toMap(pod -> Meta.namespace(pod) + "/" + Meta.name(pod),
                pod -> pod.path("spec").path("nodeName").asText("")));
    }

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }
}
