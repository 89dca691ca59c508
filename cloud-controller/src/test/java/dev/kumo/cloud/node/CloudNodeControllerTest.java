package dev.kumo.cloud.node;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.store.ObjectKey;
import dev.kumo.cloud.Instance;
import dev.kumo.cloud.InstanceRequest;
import dev.kumo.cloud.local.LocalInstances;
import dev.kumo.cloud.provisioner.PoolFixtures;
import dev.kumo.apimachinery.client.events.EventRecorder;
import dev.kumo.controllers.testing.TestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The cloud node controllers against the real API server and the local provider's records. */
class CloudNodeControllerTest {
    private static final TestCluster CLUSTER = new TestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final PoolFixtures FIXTURES = new PoolFixtures(ADMIN);

    @TempDir
    Path home;
    private LocalInstances instances;
    private CloudNodeController controller;
    private String id;

    @AfterAll
    static void stop() {
        CLUSTER.close();
    }

    @BeforeEach
    void setUp() {
        instances = new LocalInstances(home.resolve("instances"));
        KubeClient client = CLUSTER.cloudController();
        controller = new CloudNodeController(client, instances,
                new EventRecorder(client, CloudNodeLoop.COMPONENT, Clock.systemUTC()));
        id = UUID.randomUUID().toString().substring(0, 6);
        FIXTURES.namespace("ns-" + id);
    }

    private Instance launch(String pool) throws Exception {
        return instances.launch(new InstanceRequest("token-" + id, pool, "kumo.medium", null, Map.of()));
    }

    private ObjectNode bareNode(String name, String ready) {
        return ADMIN.create(ResourceType.NODES, "", PoolFixtures.json("""
                {"apiVersion":"v1","kind":"Node","metadata":{"name":"%s"},
                 "spec":{"taints":[{"key":"node.cloudprovider.kubernetes.io/uninitialized","value":"true",
                  "effect":"NoSchedule"}]},
                 "status":{"allocatable":{"cpu":"4","memory":"8Gi","pods":"110"},
                  "conditions":[{"type":"Ready","status":"%s"}]}}""".formatted(name, ready)));
    }

    private ObjectNode node(String name) {
        return ADMIN.get(ResourceType.NODES, "", name).orElseThrow();
    }

    @Test
    void aNodeIsInitializedFromItsInstance() throws Exception {
        Instance instance = launch("init-" + id);
        bareNode(instance.nodeName(), "True");

        controller.reconcile(ObjectKey.cluster("nodes", instance.nodeName()));

        ObjectNode node = node(instance.nodeName());
        assertThat(node.path("spec").path("providerID").asText()).isEqualTo("kumo-local:///" + instance.nodeName());
        assertThat(node.path("metadata").path("labels").path("node.kubernetes.io/instance-type").asText())
                .isEqualTo("kumo.medium");
        assertThat(node.path("metadata").path("labels").path("topology.kubernetes.io/zone").asText())
                .isEqualTo(LocalInstances.ZONE);
        assertThat(node.path("metadata").path("labels").path("kumo.dev/node-pool").asText()).isEqualTo("init-" + id);
        assertThat(node.path("spec").path("taints")).isEmpty();
        assertThat(node.path("status").path("addresses").toString())
                .contains("{\"type\":\"InternalIP\",\"address\":\"172.31.0.")
                .contains("{\"type\":\"Hostname\",\"address\":\"" + instance.nodeName() + "\"}");
    }

    /**
     * An EC2 node's agent knows nothing of its pool and registers tainted uninitialized: initializing it gives it
     * the pool's labels and taints in the same write that lifts that taint, so no pod lands on it before it has them
     * (a pod selecting the pool's label would otherwise never fit, and the provisioner would launch for it again).
     */
    @Test
    void anUninitializedPoolNodeGetsThePoolsLabelsAndTaintsAsTheTaintIsLifted() throws Exception {
        String pool = "tagged-" + id;
        FIXTURES.pool(pool, "kumo.medium", 0, 2, """
                "labels":{"tier":"web"},"taints":[{"key":"dedicated","value":"web","effect":"NoSchedule"}]""");
        Instance instance = launch(pool);
        bareNode(instance.nodeName(), "True");

        controller.reconcile(ObjectKey.cluster("nodes", instance.nodeName()));

        ObjectNode node = node(instance.nodeName());
        assertThat(node.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
        assertThat(node.path("spec").path("taints").toString())
                .isEqualTo("[{\"key\":\"dedicated\",\"value\":\"web\",\"effect\":\"NoSchedule\"}]");

        // Initialized once: a pool taint an administrator removes afterwards is not put back.
        ADMIN.mergePatch(ResourceType.NODES, "", instance.nodeName(), "", PoolFixtures.json("""
                {"spec":{"taints":null},"metadata":{"labels":{"tier":null}}}"""));
        controller.reconcile(ObjectKey.cluster("nodes", instance.nodeName()));
        assertThat(node(instance.nodeName()).path("spec").path("taints")).isEmpty();
    }

    @Test
    void aNotReadyNodeWhoseInstanceIsGoneIsDeletedWithItsPods() throws Exception {
        Instance instance = launch("gone-" + id);
        bareNode(instance.nodeName(), "Unknown");
        controller.reconcile(ObjectKey.cluster("nodes", instance.nodeName()));
        FIXTURES.pod("ns-" + id, "stranded", instance.nodeName(), "100m", "");

        instances.terminate(instance.providerId());
        controller.reconcile(ObjectKey.cluster("nodes", instance.nodeName()));

        assertThat(ADMIN.get(ResourceType.NODES, "", instance.nodeName())).isEmpty();
        assertThat(ADMIN.get(ResourceType.PODS, "ns-" + id, "stranded")).isEmpty();
        assertThat(ADMIN.list(ResourceType.EVENTS, "", "", "reason=DeletingNode").toString())
                .contains("Deleting node " + instance.nodeName() + " because it does not exist in the cloud provider");
    }

    @Test
    void aPodOfADeletedNodeReplacedUnderItsNameIsLeftAlone() throws Exception {
        ObjectNode stranded = FIXTURES.pod("ns-" + id, "web-0", "gone-node-" + id, "100m", "");
        ADMIN.delete(ResourceType.PODS, "ns-" + id, "web-0", ADMIN.mapper().createObjectNode()
                .put("gracePeriodSeconds", 0));
        ObjectNode replacement = FIXTURES.pod("ns-" + id, "web-0", "other-node-" + id, "100m", "");

        controller.forceDelete(stranded, "gone-node-" + id);

        assertThat(ADMIN.get(ResourceType.PODS, "ns-" + id, "web-0")).get()
                .satisfies(pod -> assertThat(pod.path("metadata").path("uid").asText())
                        .isEqualTo(replacement.path("metadata").path("uid").asText()));
    }

    @Test
    void aReadyNodeIsKeptEvenWhenItsInstanceIsGone() throws Exception {
        Instance instance = launch("ready-" + id);
        bareNode(instance.nodeName(), "True");
        controller.reconcile(ObjectKey.cluster("nodes", instance.nodeName()));

        instances.terminate(instance.providerId());
        controller.reconcile(ObjectKey.cluster("nodes", instance.nodeName()));

        assertThat(ADMIN.get(ResourceType.NODES, "", instance.nodeName())).isPresent();
    }

    @Test
    void aNodeTheCloudNeverKnewIsLeftAlone() throws Exception {
        bareNode("static-" + id, "Unknown");

        controller.reconcile(ObjectKey.cluster("nodes", "static-" + id));

        ObjectNode node = node("static-" + id);
        assertThat(node.path("spec").path("providerID").asText("")).isEmpty();
        assertThat(node.path("spec").path("taints")).hasSize(1);
    }
}
