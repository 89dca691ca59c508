package dev.kumo.e2e.nodes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kumo.e2e.support.Kubectl;
import dev.kumo.local.NodeNetwork;
import dev.kumo.node.image.BusyboxImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.kumo.e2e.nodes.ClusterProcess.await;
import static dev.kumo.e2e.nodes.ClusterProcess.read;
import static dev.kumo.e2e.nodes.ClusterProcess.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code ./kumo up --runtime cri --nodes 2} for real: the local cluster's Main as a process of its own (as the kumo
 * script runs it), two nodes with containerd in network namespaces of their own, driven by the real kubectl. A
 * Deployment of busybox httpd pods spread over both nodes behind a NodePort Service; a pod on node 1 reaches pods on
 * both nodes through {@code web.default.svc.cluster.local} (cluster DNS, the ClusterIP, routing between pod CIDRs,
 * the pod's own address arriving at the other node); each node's pods resolve service and pod names through their
 * own node's DNS server, and through kube-dns' cluster IP; the NodePort answers from the host on both node addresses;
 * a pod reaches a server beyond the machine (a namespace with no route back) masqueraded to the host's address;
 * a LoadBalancer Service (the local provider's listener on 127.0.0.1) carries requests from the host to pods of both
 * nodes until it is deleted; {@code kubectl logs} (also {@code --tail}, {@code --previous}), {@code exec} (also {@code -i}, exit codes) and
 * {@code port-forward} reach pods on both nodes through the API and each node's kubelet endpoint; a readiness
 * probe takes a pod out of its Service's endpoints and back;
 * {@code ./kumo image load} of an archive built here makes an image a pod then runs; what a cluster killed with
 * SIGKILL left (namespaces, containerds, shims) is removed by the next start, whose nodes run pods again;
 * {@code ./kumo down} leaves no namespace, bridge, route, mount or process behind.
 *
 * <p>The cluster uses its own node network ({@value #NETWORK}) so that it can run beside a {@code ./kumo up}.
 */
@Tag("containerd")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CriNodesTest {
    private static final String NETWORK = "kumoe:10.251.0:10.245";
    private static final NodeNetwork NODES = NodeNetwork.parse(NETWORK);
    private static final Duration PODS = Duration.ofMinutes(3);
    private static final int REQUESTS = 30;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The stand-in for a network beyond the machine (TEST-NET-2). */
    private static final String OUTSIDE_NS = "kumoe-outside";
    private static final String OUTSIDE_HOST = "198.51.100.1";
    private static final String OUTSIDE_SERVER = "198.51.100.2";
    private static final Path KUMO = Path.of("..", "kumo").toAbsolutePath().normalize();

    private static Path home;
    private static int port;
    private static Process cluster;
    private static Kubectl kubectl;

    @BeforeAll
    static void startCluster() throws Exception {
        ClusterProcess.requireCri();
        home = Files.createTempDirectory("kumo-cri-e2e-");
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        launch("cluster.log");
        kubectl = Kubectl.of("1.32", home.resolve("kubeconfig"), home);
        Assumptions.assumeTrue(kubectl.installed(), "no kubectl.1.32 in " + Kubectl.DIRECTORY);
        kubectl.run("wait", "--for=condition=Ready", "node/kumo-node-1", "node/kumo-node-2", "--timeout=60s").ok();
        printMemory();
    }

    /** Starts the cluster's Main as ./kumo up does and waits for "API ready"; its output goes to {@code logName}. */
    private static void launch(String logName) throws Exception {
        cluster = ClusterProcess.launch(home, port, home.resolve(logName), "--nodes", "2", "--runtime", "cri",
                "--node-network", NETWORK);
    }

    @AfterAll
    static void stopCluster() throws Exception {
        ClusterProcess.stop(cluster);
        ClusterProcess.removeHome(home);
    }

    @Test
    @Order(1)
    void podsReachPodsOfBothNodesThroughDnsAndTheClusterIpAndTheNodePortAnswersFromTheHost() throws Exception {
        kubectl.runWithInput(ClusterProcess.httpdDeployment("web", 4, "topologySpreadConstraints: [{maxSkew: 1,"
                + " topologyKey: kubernetes.io/hostname, whenUnsatisfiable: DoNotSchedule,"
                + " labelSelector: {matchLabels: {app: web}}}]", "ports: [{containerPort: 80}]") + """
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: web, namespace: default}
                spec:
                  type: NodePort
                  selector: {app: web}
                  ports: [{port: 80, targetPort: 80}]
                """, "apply", "-f", "-").ok();
        Map<String, String> webNodes = await(PODS, "4 web pods Running and Ready", () -> {
            Map<String, String> ready = readyPods("app=web");
            return ready.size() == 4 ? ready : null;
        });
        assertThat(webNodes.values()).as("spread over both nodes: %s", webNodes)
                .containsOnly("kumo-node-1", "kumo-node-2").hasSize(4);

        // busybox-static's wget crashes with -T: no timeout option
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: client, namespace: default}
                spec:
                  nodeSelector: {kubernetes.io/hostname: kumo-node-1}
                  containers:
                  - name: c
                    image: kumo.local/busybox:latest
                    command: ["sh", "-c", "for i in $(seq %d); do wget -qO- http://web.default.svc.cluster.local || echo FAILED; done; sleep 3600"]
                """.formatted(REQUESTS), "apply", "-f", "-").ok();
        JsonNode client = await(PODS, "the client pod Running", () -> {
            JsonNode pod = JSON.readTree(kubectl.run("get", "pod", "client", "-o", "json").ok().out());
            return pod.path("status").path("phase").asText().equals("Running") ? pod : null;
        });
        String clientIp = client.path("status").path("podIP").asText();
        assertThat(clientIp).as("node 1's pod CIDR").startsWith(NODES.podNet() + ".0.");
        List<String> answers = await(PODS, REQUESTS + " answers in the client's log", () -> {
            List<String> lines = containerLog("client", "c");
            return lines.size() >= REQUESTS ? lines : null;
        });
        assertThat(answers).as("every request answered").doesNotContain("FAILED").hasSize(REQUESTS);
        assertThat(answers).as("pods of both nodes answered; pods by node: %s", webNodes)
                .allMatch(webNodes::containsKey)
                .anyMatch(pod -> webNodes.get(pod).equals("kumo-node-1"))
                .anyMatch(pod -> webNodes.get(pod).equals("kumo-node-2"));

        String remote = answers.stream().filter(pod -> webNodes.get(pod).equals("kumo-node-2")).findFirst()
                .orElseThrow();
        assertThat(String.join("\n", containerLog(remote, "httpd")))
                .as("a pod on node 2 saw the client's own address: routed between the nodes, not translated")
                .containsPattern("(^|\\[|:)" + Pattern.quote(clientIp) + "\\]?:[0-9]+: url:/");

        int nodePort = JSON.readTree(kubectl.run("get", "service", "web", "-o", "json").ok().out())
                .path("spec").path("ports").get(0).path("nodePort").asInt();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        for (int node = 1; node <= 2; node++) {
            URI uri = URI.create("http://" + NODES.address(node) + ":" + nodePort + "/");
            String body = await(Duration.ofSeconds(60), "the NodePort at " + uri, () -> {
                try {
                    HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri)
                            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                    return response.statusCode() == 200 ? response.body().strip() : null;
                } catch (IOException e) {
                    return null;
                }
            });
            assertThat(webNodes).as("NodePort %s answered by a web pod", uri).containsKey(body);
        }
        printMemory();
    }

    /**
     * Each node's agent serves its own pods' DNS (the kubelet's {@code --cluster-dns} is the node's address, which
     * forwards port 53 to the agent on the host): a pod's resolv.conf names its node's address with the cluster's
     * search path; pods on both nodes resolve a service and a pod name there, and through kube-dns' cluster IP,
     * whose endpoints are the two nodes' servers; a name outside the cluster gets what the host's resolver answers.
     */
    @Test
    @Order(2)
    void eachNodesPodsResolveThroughTheirOwnNodesDnsServer() throws Exception {
        Map<String, String> webNodes = readyPods("app=web");
        String remoteWeb = webNodes.entrySet().stream().filter(entry -> entry.getValue().equals("kumo-node-2"))
                .map(Map.Entry::getKey).findFirst().orElseThrow();
        Map<String, String> podIps = new HashMap<>();
        for (String pod : List.of("client", remoteWeb)) {
            podIps.put(pod, JSON.readTree(kubectl.run("get", "pod", pod, "-o", "json").ok().out()).path("status")
                    .path("podIP").asText());
        }
        String webIp = kubectl.run("get", "service", "web", "-o", "jsonpath={.spec.clusterIP}").ok().out().strip();
        String outside = "repo.maven.apache.org";
        List<String> outsideAddresses = new ArrayList<>();
        try {
            for (InetAddress address : InetAddress.getAllByName(outside)) {
                outsideAddresses.add(address.getHostAddress());
            }
        } catch (UnknownHostException e) {
            System.out.println("the host does not resolve " + outside + ": the pods must not either");
        }

        Map<String, Integer> nodeOf = Map.of("client", 1, remoteWeb, 2);
        for (Map.Entry<String, Integer> entry : nodeOf.entrySet()) {
            String pod = entry.getKey();
            String nodeAddress = NODES.address(entry.getValue());
            String peer = pod.equals("client") ? remoteWeb : "client";
            assertThat(exec(pod, "cat", "/etc/resolv.conf").ok().out()).as("%s's resolv.conf", pod)
                    .contains("nameserver " + nodeAddress, "search default.svc.cluster.local svc.cluster.local"
                            + " cluster.local", "options ndots:5").doesNotContain("10.96.0.10");
            assertThat(exec(pod, "nslookup", "web.default.svc.cluster.local").ok().out())
                    .as("%s resolves the service at its node", pod).contains(nodeAddress, "Address: " + webIp);
            String peerIp = podIps.get(peer);
            assertThat(exec(pod, "nslookup", peerIp.replace('.', '-') + ".default.pod.cluster.local").ok().out())
                    .as("%s resolves %s's pod name", pod, peer).contains("Address: " + peerIp);
            for (int i = 0; i < 4; i++) {
                assertThat(exec(pod, "nslookup", "web.default.svc.cluster.local", "10.96.0.10").ok().out())
                        .as("%s resolves through kube-dns' cluster IP", pod).contains("Address: " + webIp);
            }
            Kubectl.Result outsideAnswer = exec(pod, "nslookup", outside);
            if (outsideAddresses.isEmpty()) {
                assertThat(outsideAnswer.exitCode()).as("%s: %s", pod, outsideAnswer).isNotZero();
            } else {
                assertThat(outsideAnswer.ok().out()).as("%s resolves %s as the host does: %s", pod, outside,
                        outsideAddresses).containsAnyOf(outsideAddresses.stream().map(a -> "Address: " + a)
                        .toArray(String[]::new));
            }
        }

        JsonNode slices = JSON.readTree(kubectl.run("get", "endpointslices", "-n", "kube-system", "-l",
                "kubernetes.io/service-name=kube-dns", "-o", "json").ok().out()).path("items");
        List<String> endpoints = new ArrayList<>();
        for (JsonNode slice : slices) {
            JsonNode endpoint = slice.path("endpoints").path(0);
            endpoints.add(slice.path("metadata").path("name").asText() + " " + endpoint.path("nodeName").asText()
                    + " " + endpoint.path("addresses").path(0).asText());
        }
        assertThat(endpoints).as("kube-dns' endpoints: the nodes' servers, on their own addresses")
                .containsExactlyInAnyOrder("kube-dns-kumo-node-1 kumo-node-1 " + NODES.address(1),
                        "kube-dns-kumo-node-2 kumo-node-2 " + NODES.address(2));
    }

    private static Kubectl.Result exec(String pod, String... command) {
        List<String> args = new ArrayList<>(List.of("exec", pod, "--"));
        args.addAll(List.of(command));
        return kubectl.run(args.toArray(String[]::new));
    }

    /**
     * A network beyond the machine, stood for by a namespace on the host with a TEST-NET-2 address and no route
     * back to the node network or the pod CIDRs: a pod reaches a server there only if its traffic leaves the host
     * masqueraded to the host's address.
     */
    @Test
    @Order(3)
    void podsReachBeyondTheMachineWithTheHostsAddress() throws Exception {
        Path www = Files.createDirectories(home.resolve("outside-www"));
        Files.writeString(www.resolve("index.html"), "outside\n");
        run("ip", "netns", "delete", OUTSIDE_NS); // what a failed run left, if anything
        run("ip", "netns", "add", OUTSIDE_NS);
        Process server = null;
        try {
            for (List<String> command : List.of(
                    List.of("ip", "link", "add", "kumoe-out", "type", "veth", "peer", "name", "eth0", "netns",
                            OUTSIDE_NS),
                    List.of("ip", "addr", "add", OUTSIDE_HOST + "/24", "dev", "kumoe-out"),
                    List.of("ip", "link", "set", "kumoe-out", "up"),
                    List.of("ip", "-n", OUTSIDE_NS, "addr", "add", OUTSIDE_SERVER + "/24", "dev", "eth0"),
                    List.of("ip", "-n", OUTSIDE_NS, "link", "set", "eth0", "up"),
                    List.of("ip", "-n", OUTSIDE_NS, "link", "set", "lo", "up"))) {
                assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as("%s", command).isZero();
            }
            server = new ProcessBuilder("ip", "netns", "exec", OUTSIDE_NS, "busybox", "httpd", "-f", "-vv", "-p",
                    "8080", "-h", www.toString()).redirectErrorStream(true)
                    .redirectOutput(home.resolve("outside-httpd.log").toFile()).start();
            String url = "http://" + OUTSIDE_SERVER + ":8080/";
            String body = await(Duration.ofSeconds(60), "the client pod to fetch " + url, () -> {
                Kubectl.Result fetch = kubectl.run("exec", "client", "--", "wget", "-qO-", url);
                return fetch.exitCode() == 0 ? fetch.out() : null;
            });
            assertThat(body).isEqualTo("outside\n");
            assertThat(read(home.resolve("outside-httpd.log"))).as("the server saw the host's address")
                    .contains(OUTSIDE_HOST).doesNotContain(NODES.podNet() + ".", NODES.nodeNet() + ".");
        } finally {
            if (server != null) {
                server.destroy();
                server.waitFor(10, TimeUnit.SECONDS);
            }
            new ProcessBuilder("ip", "netns", "delete", OUTSIDE_NS).inheritIO().start().waitFor();
        }
    }

    @Test
    @Order(4)
    void logsExecAndPortForwardReachPodsOnBothNodesThroughTheApi() throws Exception {
        Map<String, String> webNodes = readyPods("app=web");
        for (String node : List.of("kumo-node-1", "kumo-node-2")) {
            String pod = webNodes.entrySet().stream().filter(entry -> entry.getValue().equals(node))
                    .map(Map.Entry::getKey).findFirst().orElseThrow();
            assertThat(kubectl.run("exec", pod, "-c", "httpd", "--", "cat", "/var/www/index.html").ok().out().strip())
                    .as("exec in %s on %s", pod, node).isEqualTo(pod);
            assertThat(kubectl.runWithInput("through stdin\n", "exec", "-i", pod, "--", "cat").ok().out())
                    .as("exec -i carries standard input").isEqualTo("through stdin\n");
            Kubectl.Result failing = kubectl.run("exec", pod, "--", "sh", "-c", "exit 3").failed();
            assertThat(failing.err()).as("the command's exit code comes back").contains("exit code 3");

            try (Kubectl.Running forward = kubectl.start("port-forward", "pod/" + pod, ":80")) {
                String line = forward.awaitLine(text -> text.startsWith("Forwarding from 127.0.0.1:"),
                        Duration.ofSeconds(60));
                int local = Integer.parseInt(line.replaceAll("^Forwarding from 127\\.0\\.0\\.1:(\\d+) .*$", "$1"));
                HttpResponse<String> response = HttpClient.newHttpClient().send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + local + "/"))
                                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(response.body().strip()).as("port-forward to %s on %s", pod, node).isEqualTo(pod);
            }
            List<String> tail = kubectl.run("logs", pod, "--tail=1").ok().lines();
            assertThat(tail).as("--tail=1 of %s", pod).hasSize(1);
        }
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: restarting, namespace: default}
                spec:
                  nodeSelector: {kubernetes.io/hostname: kumo-node-2}
                  containers:
                  - {name: c, image: kumo.local/busybox:latest, command: ["sh", "-c", "echo run $(date +%s%N); sleep 3; exit 1"]}
                """, "apply", "-f", "-").ok();
        await(PODS, "the restarting pod restarted", () -> JSON.readTree(kubectl.run("get", "pod", "restarting", "-o",
                "json").ok().out()).path("status").path("containerStatuses").path(0).path("restartCount").asInt() >= 1);
        List<String> previous = kubectl.run("logs", "restarting", "--previous").ok().lines();
        assertThat(previous).as("--previous shows the run that ended").hasSize(1)
                .allMatch(line -> line.startsWith("run "));
    }

    /**
     * A readiness probe takes a pod out of its Service's endpoints and puts it back: an exec probe on a file in the
     * container, the file made and removed with kubectl exec; the Endpoints and kube-proxy's view (the
     * EndpointSlice's {@code ready}) follow, with the kubelet's Unhealthy event.
     */
    @Test
    @Order(5)
    void aReadinessProbeTakesAPodOutOfTheEndpointsAndBack() throws Exception {
        kubectl.runWithInput("""
                apiVersion: v1
                kind: Pod
                metadata: {name: gated, namespace: default, labels: {app: gated}}
                spec:
                  containers:
                  - name: httpd
                    image: kumo.local/busybox:latest
                    command: ["sh", "-c", "mkdir -p /www && echo gated > /www/index.html && exec httpd -f -p 80 -h /www"]
                    readinessProbe:
                      exec: {command: ["test", "-f", "/tmp/ready"]}
                      periodSeconds: 1
                      failureThreshold: 1
                ---
                apiVersion: v1
                kind: Service
                metadata: {name: gated, namespace: default}
                spec:
                  selector: {app: gated}
                  ports: [{port: 80}]
                """, "apply", "-f", "-").ok();
        await(PODS, "gated Running and not Ready", () -> JSON.readTree(kubectl.run("get", "pod", "gated", "-o",
                "json").ok().out()).path("status").path("phase").asText().equals("Running"));
        await(PODS, "gated among the Service's not-ready addresses", () -> gatedAddresses("notReadyAddresses") == 1
                && gatedAddresses("addresses") == 0);
        assertThat(readyPods("app=gated")).isEmpty();

        kubectl.run("exec", "gated", "--", "touch", "/tmp/ready").ok();
        await(PODS, "gated Ready and among the addresses", () -> readyPods("app=gated").containsKey("gated")
                && gatedAddresses("addresses") == 1 && gatedAddresses("notReadyAddresses") == 0);
        await(PODS, "the slice's endpoint ready", () -> gatedSliceReady().equals("true"));

        kubectl.run("exec", "gated", "--", "rm", "/tmp/ready").ok();
        await(PODS, "gated out of the addresses again", () -> gatedAddresses("notReadyAddresses") == 1
                && gatedAddresses("addresses") == 0);
        await(PODS, "the slice's endpoint not ready", () -> gatedSliceReady().equals("false"));
        assertThat(readyPods("app=gated")).isEmpty();
        assertThat(kubectl.run("get", "events", "--field-selector", "involvedObject.name=gated,reason=Unhealthy",
                "-o", "jsonpath={.items[*].message}").ok().out()).contains("Readiness probe failed");
        kubectl.run("delete", "service", "gated").ok();
        kubectl.run("delete", "pod", "gated", "--grace-period=1", "--wait=false").ok();
    }

    private static int gatedAddresses(String field) throws IOException {
        return JSON.readTree(kubectl.run("get", "endpoints", "gated", "-o", "json").ok().out()).path("subsets")
                .path(0).path(field).size();
    }

    private static String gatedSliceReady() {
        return kubectl.run("get", "endpointslices", "-l", "kubernetes.io/service-name=gated", "-o",
                "jsonpath={.items[0].endpoints[0].conditions.ready}").ok().out().strip();
    }

    @Test
    @Order(6)
    void aLoadBalancerServiceCarriesRequestsFromTheHostToPodsOfBothNodesUntilItIsDeleted() throws Exception {
        Map<String, String> webNodes = readyPods("app=web");
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        kubectl.run("expose", "deployment", "web", "--name=web-lb", "--type=LoadBalancer", "--port=" + port,
                "--target-port=80").ok();
        String ingress = await(Duration.ofSeconds(120), "an ingress address for service web-lb", () -> {
            JsonNode service = JSON.readTree(kubectl.run("get", "service", "web-lb", "-o", "json").ok().out());
            return service.path("status").path("loadBalancer").path("ingress").path(0).path("ip").asText(null);
        });
        URI uri = URI.create("http://" + ingress + ":" + port + "/");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Set<String> answered = new HashSet<>();
        for (int i = 0; i < REQUESTS; i++) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("GET %s", uri).isEqualTo(200);
            answered.add(response.body().strip());
        }
        assertThat(answered).as("web pods answered through the load balancer; pods by node: %s", webNodes)
                .isSubsetOf(webNodes.keySet())
                .anyMatch(pod -> webNodes.get(pod).equals("kumo-node-1"))
                .anyMatch(pod -> webNodes.get(pod).equals("kumo-node-2"));

        kubectl.run("delete", "service", "web-lb", "--timeout=120s").ok(); // waits for the cleanup finalizer
        assertThatThrownBy(() -> new Socket(ingress, port).close()).as("the listener is gone")
                .isInstanceOf(ConnectException.class);
    }

    @Test
    @Order(7)
    void imageLoadMakesAnArchiveRunnableOnEveryNode() throws Exception {
        String image = "kumo.local/e2e-loaded:v1";
        Path archive = home.resolve("loaded.tar");
        BusyboxImages.write(BusyboxImages.DEBIAN_BUSYBOX, archive, image);
        Process load = kumo("image", "load", archive.toString());
        String output = new String(load.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(load.waitFor()).as("./kumo image load said:\n%s", output).isZero();
        assertThat(output).contains("node kumo-node-1: imported", "node kumo-node-2: imported",
                "imported into 2 nodes");

        for (int node = 1; node <= 2; node++) {
            kubectl.runWithInput("""
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: loaded-%1$d, namespace: default}
                    spec:
                      nodeSelector: {kubernetes.io/hostname: kumo-node-%1$d}
                      containers:
                      - {name: c, image: "%2$s", imagePullPolicy: Never, command: ["sleep", "3600"]}
                    """.formatted(node, image), "apply", "-f", "-").ok();
        }
        await(PODS, "both loaded-image pods Running and Ready",
                () -> readyPods("").keySet().containsAll(List.of("loaded-1", "loaded-2")));
    }

    /**
     * Each node's agent is a process of its own in the node's network namespace, which the cluster starts again
     * when it dies (systemd's Restart=always on a machine): killed with SIGKILL, the agent comes back in the same
     * namespace and adopts the pod it finds running in containerd, whose container is neither restarted nor
     * replaced.
     */
    @Test
    @Order(8)
    void anAgentKilledWithSigkillIsStartedAgainInItsNamespaceAndAdoptsItsPods() throws Exception {
        kubectl.runWithInput(ClusterProcess.sleepingPod("adopted", "kumo-node-2"), "apply", "-f", "-").ok();
        await(PODS, "the pod to adopt Running and Ready", () -> readyPods("").containsKey("adopted"));
        String container = "jsonpath={.status.containerStatuses[0].containerID} "
                + "{.status.containerStatuses[0].restartCount}";
        String before = kubectl.run("get", "pod", "adopted", "-o", container).ok().out().strip();
        Path ready = home.resolve("nodes").resolve("kumo-node-2").resolve("agent.ready");
        long killed = Long.parseLong(read(ready).strip());
        assertThat(run("ip", "netns", "identify", Long.toString(killed)).strip()).as("the agent's namespace")
                .isEqualTo(NODES.namespace(2));

        ProcessHandle.of(killed).orElseThrow().destroyForcibly();

        long again = await(Duration.ofMinutes(2), "the agent started again and joined", () -> {
            String pid = Files.exists(ready) ? read(ready).strip() : "";
            return !pid.isEmpty() && Long.parseLong(pid) != killed ? Long.parseLong(pid) : null;
        });
        assertThat(run("ip", "netns", "identify", Long.toString(again)).strip()).isEqualTo(NODES.namespace(2));
        assertThat(read(home.resolve("cluster.log"))).contains("node agent process ended unasked");
        kubectl.run("wait", "--for=condition=Ready", "node/kumo-node-2", "--timeout=60s").ok();
        assertThat(kubectl.run("get", "pod", "adopted", "-o", container).ok().out().strip())
                .as("the same container, never restarted").isEqualTo(before);
        assertThat(readyPods("")).containsEntry("adopted", "kumo-node-2");
    }

    @Test
    @Order(9)
    void whatAClusterKilledWithSigkillLeftIsRemovedByTheNextStart() throws Exception {
        cluster.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
        assertThat(run("ip", "netns", "list")).as("a killed cluster cannot clean up")
                .contains(NODES.namespace(1), NODES.namespace(2));
        List<ProcessHandle> left = processesNamingHome();
        assertThat(left).as("its node agents, containerds and shims run on").isNotEmpty()
                .anyMatch(p -> p.info().commandLine().orElse("").contains("AgentMain"));

        launch("cluster-after-kill.log");
        assertThat(read(home.resolve("cluster-after-kill.log")))
                .contains("kumo: removed what an earlier run left: ", NODES.namespace(1), NODES.namespace(2));
        assertThat(left).as("the old node agents, containerds and shims").noneMatch(ProcessHandle::isAlive);
        kubectl.run("wait", "--for=condition=Ready", "node/kumo-node-1", "node/kumo-node-2", "--timeout=60s").ok();
        kubectl.runWithInput(ClusterProcess.sleepingPod("after-kill", "kumo-node-2"), "apply", "-f", "-").ok();
        await(PODS, "a pod Running and Ready on the new network", () -> readyPods("").containsKey("after-kill"));
    }

    @Test
    @Order(10)
    void downLeavesNoNamespaceBridgeRouteOrProcessBehind() throws Exception {
        Process down = kumo("down");
        String output = new String(down.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(down.waitFor()).as("./kumo down said:\n%s", output).isZero();
        assertThat(output).as("stopped by SIGTERM, not killed").contains("stopped the cluster");
        assertThat(cluster.waitFor(30, TimeUnit.SECONDS)).as("the cluster process ended").isTrue();

        assertThat(run("ip", "netns", "list")).doesNotContain(NODES.namespace(1), NODES.namespace(2));
        assertThat(run("ip", "-o", "link", "show")).doesNotContain(NODES.bridge(), "kumoe-v1", "kumoe-v2");
        assertThat(run("ip", "route", "show")).doesNotContain(NODES.podNet() + ".");
        assertThat(processesNamingHome()).as("processes naming the cluster's home (agents, containerd, shims)")
                .isEmpty();
        assertThat(run("findmnt", "-rn", "-o", "TARGET")).doesNotContain(home.toString());
        assertThat(Path.of("/run/kumo/kumoe.owner")).doesNotExist();
        assertThat(run("nft", "list", "tables")).as("the host's egress table").doesNotContain("kumoe_egress");
    }

    /** Node agents, containerds and shims of this test's nodes (their command lines name the home). */
    private static List<ProcessHandle> processesNamingHome() {
        return ClusterProcess.processesNaming(home);
    }

    /** The kumo script on this test's cluster (its KUMO_HOME). */
    private static Process kumo(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(KUMO.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("KUMO_HOME", home.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        return process;
    }

    /** Pods Running and Ready (by name) with their nodes, in namespace default, matching {@code selector}. */
    private static Map<String, String> readyPods(String selector) {
        return ClusterProcess.readyPods(kubectl, selector);
    }

    /** The lines a container wrote, as {@code kubectl logs} shows them (through the API and the node's agent). */
    private static List<String> containerLog(String pod, String container) {
        return kubectl.run("logs", pod, "-c", container).ok().lines();
    }

    private static void printMemory() throws IOException {
        long clusterKiB = rssKiB(cluster.pid());
        long containerdKiB = 0;
        long shimKiB = 0;
        int shims = 0;
        List<Long> agentKiB = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            for (ProcessHandle p : all.toList()) {
                String line = p.info().commandLine().orElse("");
                if (line.contains("AgentMain") && line.contains(home.toString())) {
                    agentKiB.add(rssKiB(p.pid()) / 1024);
                } else if (line.contains(home.toString()) && line.contains("config.toml")) {
                    containerdKiB += rssKiB(p.pid());
                } else if (line.contains("containerd-shim") && line.contains(home.toString())) {
                    shimKiB += rssKiB(p.pid());
                    shims++;
                }
            }
        }
        System.out.printf("memory (RSS): cluster JVM %d MiB with 2 cri nodes; node agents %s MiB; containerd %d MiB"
                + " for 2 nodes; %d shims %d MiB%n", clusterKiB / 1024, agentKiB, containerdKiB / 1024, shims,
                shimKiB / 1024);
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }
}
