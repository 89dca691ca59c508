package dev.kumo.e2e.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.cloud.local.LocalInstances;
import dev.kumo.cloud.local.NodeAddressing;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.local.NodeNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.kumo.e2e.nodes.ClusterProcess.await;
import static dev.kumo.e2e.nodes.ClusterProcess.read;
import static dev.kumo.e2e.nodes.ClusterProcess.run;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Node pools on {@code ./kumo up --runtime cri}: the local provider's instances are real nodes like the static ones.
 * A NodePool of min 1 gets an instance that joins Ready as node 129 of the node network (its own namespace and
 * containerd, the address and pod CIDR its record holds); a Deployment's pod selected onto the pool runs there, and
 * its busybox httpd answers at the pod IP from the host and from a pod of the static node (the pool node's pod CIDR
 * routed both ways); {@code kubectl logs} reaches it through the pool node's kubelet endpoint, and it resolves names
 * through the pool node's own DNS server, which is among kube-dns' endpoints until the instance goes. A Deployment that
 * does not fit grows the pool: the new node joins and runs its pod, reached the same ways; once the Deployment is
 * deleted the emptied node is scaled down and its namespace removed. The floor's instance terminated through the
 * provider (its records, as a cloud's API would) loses its namespace and routes at once and its Node after node
 * lifecycle's 40 s grace, and its pod moves to the replacement instance the pool launches. Stopping the cluster
 * leaves none of the pool's namespaces behind.
 *
 * <p>Its own node network ({@value #NETWORK}): it runs beside a {@code ./kumo up} and beside {@link CriNodesTest}.
 */
@Tag("containerd")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CriNodePoolTest {
    private static final String NETWORK = "kumop:10.249.0:10.243";
    private static final NodeNetwork NODES = NodeNetwork.parse(NETWORK);
    private static final int FIRST_POOL_NODE = NodeAddressing.poolNode(0);
    private static final Duration JOIN = Duration.ofMinutes(4);
    private static final Duration PODS = Duration.ofMinutes(3);
    /** Node lifecycle's 40 s grace, then the cloud node controller's pass: a minute or two on a loaded machine. */
    private static final Duration NODE_GONE = Duration.ofMinutes(5);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path home;
    private static Process cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void startCluster() throws Exception {
        ClusterProcess.requireCri();
        home = Files.createTempDirectory("kumo-pool-e2e-");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        cluster = ClusterProcess.launch(home, port, home.resolve("cluster.log"), "--nodes", "1", "--runtime", "cri",
                "--node-network", NETWORK);
        assertThat(read(home.resolve("cluster.log"))).as("./kumo up says what pool instances are")
                .contains("kumo: node pool instances: cri nodes like the static ones (CriAgentLauncher)");
        kubectl = Kubectl.of("1.32", home.resolve("kubeconfig"), home);
        Assumptions.assumeTrue(kubectl.installed(), "no kubectl.1.32 in " + Kubectl.DIRECTORY);
        kubectl.run("wait", "--for=condition=Ready", "node/kumo-node-1", "--timeout=60s").ok();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        ClusterProcess.stop(cluster);
        ClusterProcess.removeHome(home);
    }

    @Test
    @Order(1)
    void aPoolInstanceJoinsAsARealNodeWhosePodsAnswerFromTheHostAndFromTheStaticNode() throws Exception {
        long applied = System.nanoTime();
        kubectl.runWithInput("""
                apiVersion: kumo.dev/v1alpha1
                kind: NodePool
                metadata: {name: web}
                spec:
                  instanceTypes: [kumo.small]
                  minSize: 1
                  maxSize: 2
                  emptyNodeTTL: 15s
                  labels: {tier: web}
                ---
                """ + ClusterProcess.sleepingPod("client", "kumo-node-1") + "---\n"
                + ClusterProcess.httpdDeployment("web", 1, "nodeSelector: {tier: web}", "ports: [{containerPort: 80}]"),
                "apply", "-f", "-").ok();
        await(JOIN, "node web-1 Ready", () -> kubectl.run("get", "node", "web-1", "-o",
                "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().strip().equals("True"));
        System.out.printf("pool node web-1 Ready %.1f s after the pool was applied%n",
                (System.nanoTime() - applied) / 1e9);
        // the cloud node controller fills the provider ID in from the instance, maybe after the node turned Ready
        JsonNode node = await(JOIN, "web-1 initialized from its instance", () -> {
            JsonNode seen = JSON.readTree(kubectl.run("get", "node", "web-1", "-o", "json").ok().out());
            return seen.path("spec").path("providerID").asText().isEmpty() ? null : seen;
        });
        assertThat(node.path("spec").path("providerID").asText()).isEqualTo("kumo-local:///web-1");
        assertThat(node.path("spec").path("podCIDR").asText()).isEqualTo(NODES.podCidr(FIRST_POOL_NODE));
        assertThat(node.path("status").path("addresses").toString())
                .contains("\"address\":\"" + NODES.address(FIRST_POOL_NODE) + "\"");
        assertThat(node.path("metadata").path("labels").path("tier").asText()).isEqualTo("web");
        assertThat(run("ip", "netns", "list")).as("the instance's namespace")
                .contains(NODES.namespace(FIRST_POOL_NODE));

        String pod = servingPod("app=web", "web-1");
        assertThat(kubectl.run("logs", pod, "-c", "httpd").ok().out())
                .as("kubectl logs through the pool node's kubelet endpoint").contains("url:/");
        assertThat(kubectl.run("exec", pod, "--", "cat", "/etc/resolv.conf").ok().out())
                .as("the pool node's agent serves its pods' DNS")
                .contains("nameserver " + NODES.address(FIRST_POOL_NODE));
        assertThat(kubectl.run("exec", pod, "--", "nslookup", "kube-dns.kube-system.svc.cluster.local").ok().out())
                .contains("Address: 10.96.0.10");
        assertThat(kubectl.run("get", "endpointslice", "-n", "kube-system", "kube-dns-web-1", "-o",
                "jsonpath={.endpoints[0].nodeName}").ok().out().strip()).as("among kube-dns' endpoints")
                .isEqualTo("web-1");
    }

    /** kumo.small has 2 cpus: web-1 holds one pod of 1500m, the second needs a node more. */
    @Test
    @Order(2)
    void thePoolGrowsForPodsThatDoNotFitThenShrinksOnceTheirNodeIsEmpty() throws Exception {
        long applied = System.nanoTime();
        kubectl.runWithInput(ClusterProcess.httpdDeployment("big", 2, "nodeSelector: {tier: web}",
                "resources: {requests: {cpu: 1500m}}"), "apply", "-f", "-").ok();
        String onNewNode = servingPod("app=big", "web-2");
        double grown = (System.nanoTime() - applied) / 1e9;
        assertThat(ClusterProcess.readyPods(kubectl, "app=big").values()).as("one pod per pool node")
                .containsExactlyInAnyOrder("web-1", "web-2");
        assertThat(run("ip", "netns", "list")).contains(NODES.namespace(FIRST_POOL_NODE + 1));

        long deleted = System.nanoTime();
        kubectl.run("delete", "deployment", "big").ok();
        // emptyNodeTTL, then up to the provisioner's minute tick; web-1 keeps the web pod and the pool's floor
        await(Duration.ofMinutes(4), "node web-2 removed by scale-down", () -> kubectl.run("get", "node", "web-2")
                .exitCode() != 0);
        await(Duration.ofSeconds(60), "web-2's namespace removed", () -> !run("ip", "netns", "list")
                .contains(NODES.namespace(FIRST_POOL_NODE + 1)));
        System.out.printf("pod %s serving on the new pool node web-2 %.1f s after the Deployment; web-2 gone %.1f s"
                + " after the Deployment was deleted%n", onNewNode, grown, (System.nanoTime() - deleted) / 1e9);
        assertThat(kubectl.run("get", "node", "web-1").exitCode()).as("the floor's node stays").isZero();
    }

    @Test
    @Order(3)
    void aTerminatedInstanceLosesItsNamespaceThenItsNodeAndItsPodMovesToTheReplacement() throws Exception {
        long terminated = System.nanoTime();
        new LocalInstances(home.resolve("instances"), NODES.addressing()).terminate("kumo-local:///web-1");

        String gone = NODES.namespace(FIRST_POOL_NODE);
        await(Duration.ofSeconds(60), "namespace " + gone + " removed", () -> !run("ip", "netns", "list")
                .contains(gone));
        await(Duration.ofSeconds(30), "the routes to its pod CIDR removed", () -> !run("ip", "route", "show")
                .contains(NODES.podCidr(FIRST_POOL_NODE).replace("/24", "")));
        double namespaceGone = (System.nanoTime() - terminated) / 1e9;
        assertThat(kubectl.run("get", "endpointslice", "-n", "kube-system", "kube-dns-web-1").exitCode())
                .as("its DNS server out of kube-dns' endpoints").isNotZero();
        await(NODE_GONE, "node web-1 deleted", () -> kubectl.run("get", "node", "web-1").exitCode() != 0);
        double nodeGone = (System.nanoTime() - terminated) / 1e9;

        // the pool's floor brings a replacement, in a slot never used (the old one's Node lingered meanwhile)
        String pod = servingPod("app=web", "web-3");
        double moved = (System.nanoTime() - terminated) / 1e9;
        assertThat(run("ip", "netns", "list")).contains(NODES.namespace(FIRST_POOL_NODE + 2)).doesNotContain(gone);
        System.out.printf("after terminating web-1: namespace and routes gone %.1f s, Node deleted %.1f s, pod %s"
                + " serving on web-3 %.1f s%n", namespaceGone, nodeGone, pod, moved);
    }

    @Test
    @Order(4)
    void stoppingTheClusterLeavesNoPoolNamespaceBehind() throws Exception {
        cluster.destroy();
        assertThat(cluster.waitFor(60, TimeUnit.SECONDS)).as("the cluster stopped on SIGTERM").isTrue();
        assertThat(run("ip", "netns", "list")).doesNotContain(NODES.tag() + "-node-");
        assertThat(run("ip", "-o", "link", "show")).doesNotContain(NODES.bridge());
        assertThat(run("ip", "route", "show")).doesNotContain(NODES.podNet() + ".");
        assertThat(ClusterProcess.processesNaming(home)).as("processes naming the cluster's home (containerd, shims)")
                .isEmpty();
    }

    /**
     * A pod of {@code selector} Ready on {@code node} with an address of that node's pod CIDR, answering its name at
     * the pod IP from the host and from the client pod on the static node.
     */
    private static String servingPod(String selector, String node) throws Exception {
        Map.Entry<String, String> ready = await(PODS, "a pod " + selector + " Ready on " + node, () ->
                ClusterProcess.readyPods(kubectl, selector).entrySet().stream()
                        .filter(entry -> entry.getValue().equals(node)).findFirst().orElse(null));
        String pod = ready.getKey();
        JsonNode view = JSON.readTree(kubectl.run("get", "pod", pod, "-o", "json").ok().out());
        String podIp = view.path("status").path("podIP").asText();
        String podCidr = JSON.readTree(kubectl.run("get", "node", node, "-o", "json").ok().out())
                .path("spec").path("podCIDR").asText();
        assertThat(podIp).as("an address of %s's pod CIDR %s", node, podCidr)
                .startsWith(podCidr.substring(0, podCidr.lastIndexOf('.') + 1));

        URI uri = URI.create("http://" + podIp + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        String body = await(Duration.ofSeconds(60), "GET " + uri + " from the host", () -> {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5))
                        .build(), HttpResponse.BodyHandlers.ofString());
                return response.statusCode() == 200 ? response.body().strip() : null;
            } catch (IOException e) {
                return null;
            }
        });
        assertThat(body).as("the pod's httpd answered the host").isEqualTo(pod);
        await(PODS, "the client pod Ready on kumo-node-1",
                () -> ClusterProcess.readyPods(kubectl, "").containsKey("client"));
        String fromClient = await(Duration.ofSeconds(60), "GET " + uri + " from the client pod on kumo-node-1", () -> {
            Kubectl.Result fetch = kubectl.run("exec", "client", "--", "wget", "-qO-", uri.toString());
            return fetch.exitCode() == 0 ? fetch.out().strip() : null;
        });
        assertThat(fromClient).as("a pod of the static node reached the pool node's pod").isEqualTo(pod);
        return pod;
    }
}
