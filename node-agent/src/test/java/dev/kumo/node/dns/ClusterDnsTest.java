package dev.kumo.node.dns;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.NodeAgent;
import dev.kumo.node.NodeCapacity;
import dev.kumo.node.NodeConfig;
import dev.kumo.node.NodeSystemInfo;
import dev.kumo.node.network.Ipv4Cidr;
import dev.kumo.node.network.PodIpAllocator;
import dev.kumo.node.simulated.SimulatedRuntime;
import dev.kumo.node.testing.NodeTestCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import static dev.kumo.controllers.testing.TestCluster.object;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node agent serving cluster DNS against the real API: Services, EndpointSlices and Pods created through the API,
 * answered over UDP and TCP to dnsjava's resolver, names outside the cluster forwarded to a small upstream server.
 */
class ClusterDnsTest {
    private static final NodeTestCluster CLUSTER = new NodeTestCluster();
    private static final KubeClient ADMIN = CLUSTER.admin();
    private static final String NODE = "dns-1";
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static UpstreamTestServer upstream;
    private static NodeAgent agent;
    private static InetSocketAddress dns;
    /** Where the agent said it serves, once bound (port 0 asked for). */
    private static final AtomicReference<InetSocketAddress> SERVING = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        upstream = new UpstreamTestServer(Map.of("outside.example.", "192.0.2.7"));
        Clock clock = Clock.systemUTC();
        DnsSettings settings = new DnsSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                DnsSettings.DEFAULT_ZONE, List.of(upstream.address()), DnsSettings.DEFAULT_TTL, PodRecords.INSECURE,
                Duration.ofSeconds(2));
        agent = new NodeAgent(CLUSTER.endpoint(), CLUSTER.bootstrapToken(),
                NodeConfig.of(NODE, "172.30.0.2", "10.244.0.0/24", NodeCapacity.of("4", "8Gi", "50Gi")),
                podCidr -> new SimulatedRuntime(new PodIpAllocator(Ipv4Cidr.parse(podCidr)), clock),
                NodeSystemInfo.simulated(NODE, SimulatedRuntime.VERSION), clock, 2)
                .serveClusterDns(settings, SERVING::set);
        agent.start(Duration.ofSeconds(60));
        ClusterDns clusterDns = agent.clusterDns().orElseThrow();
        assertThat(clusterDns.awaitSynced(DEADLINE)).isTrue();
        dns = clusterDns.address();
        assertThat(dns.getPort()).isNotZero();
        assertThat(SERVING.get()).as("the bound address, told to the caller").isEqualTo(dns);
    }

    @AfterAll
    static void stop() throws Exception {
        if (agent != null) {
            agent.close();
        }
        if (upstream != null) {
            upstream.close();
        }
        CLUSTER.close();
    }

    @Test
    void servicesEndpointsAndPodsAreAnsweredOverUdpAndTcp() throws Exception {
        String clusterIp = ADMIN.create(ResourceType.SERVICES, "default", object("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"},
                 "spec": {"ports": [{"name": "http", "protocol": "TCP", "port": 80, "targetPort": 8080}]}}"""))
                .path("spec").path("clusterIP").asText();
        ADMIN.create(ResourceType.PODS, "default", object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "db-0"},
                 "spec": {"hostname": "db-0", "subdomain": "db", "nodeName": "%s",
                          "containers": [{"name": "c", "image": "busybox"}]}}""".formatted(NODE)));
        String podIp = awaitPodIp("db-0");
        ADMIN.create(ResourceType.SERVICES, "default", object("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "db"},
                 "spec": {"clusterIP": "None", "ports": [{"name": "pg", "protocol": "TCP", "port": 5432}]}}"""));
        // what the EndpointSlice controller writes for the pod (its hostname, as its subdomain is the service)
        ADMIN.create(ResourceType.ENDPOINT_SLICES, "default", object("""
                {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                 "metadata": {"name": "db-x1", "labels": {"kubernetes.io/service-name": "db"}},
                 "addressType": "IPv4",
                 "endpoints": [
                   {"addresses": ["%s"], "hostname": "db-0", "conditions": {"ready": true},
                    "targetRef": {"kind": "Pod", "namespace": "default", "name": "db-0"}},
                   {"addresses": ["10.244.9.9"], "conditions": {"ready": true}},
                   {"addresses": ["10.244.9.10"], "conditions": {"ready": false}}],
                 "ports": [{"name": "pg", "protocol": "TCP", "port": 5432}]}""".formatted(podIp)));

        String podName = podIp.replace('.', '-') + ".default.pod.cluster.local.";
        for (boolean tcp : List.of(false, true)) {
            assertThat(texts(await("web.default.svc.cluster.local.", Type.A, tcp, answered())))
                    .containsExactly("A " + clusterIp);
            assertThat(texts(await("db.default.svc.cluster.local.", Type.A, tcp, answered())))
                    .containsExactlyInAnyOrder("A " + podIp, "A 10.244.9.9");
            assertThat(texts(await("_pg._tcp.db.default.svc.cluster.local.", Type.SRV, tcp, answered())))
                    .containsExactlyInAnyOrder("SRV 0 50 5432 db-0.db.default.svc.cluster.local.",
                            "SRV 0 50 5432 10-244-9-9.db.default.svc.cluster.local.");
            assertThat(texts(query("_http._tcp.web.default.svc.cluster.local.", Type.SRV, tcp)))
                    .containsExactly("SRV 0 100 80 web.default.svc.cluster.local.");
            assertThat(texts(query("db-0.db.default.svc.cluster.local.", Type.A, tcp))).containsExactly("A " + podIp);
            assertThat(texts(query(podName, Type.A, tcp))).containsExactly("A " + podIp);
            Message unknown = query("nothing.default.svc.cluster.local.", Type.A, tcp);
            assertThat(Rcode.string(unknown.getRcode())).isEqualTo("NXDOMAIN");
            assertThat(unknown.getHeader().getFlag(Flags.AA)).isTrue();
            assertThat(unknown.getSection(Section.AUTHORITY)).extracting(Record::getType).containsExactly(Type.SOA);
            Message forwarded = query("outside.example.", Type.A, tcp);
            assertThat(Rcode.string(forwarded.getRcode())).isEqualTo("NOERROR");
            assertThat(texts(forwarded)).containsExactly("A 192.0.2.7");
        }

        ADMIN.delete(ResourceType.SERVICES, "default", "web", null, null);
        Message gone = await("web.default.svc.cluster.local.", Type.A, false,
                response -> response.getRcode() == Rcode.NXDOMAIN);
        assertThat(gone.getSection(Section.ANSWER)).isEmpty();
    }

    @Test
    void externalNameServicesAreFollowedUpstream() throws Exception {
        ADMIN.create(ResourceType.SERVICES, "default", object("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "ext"},
                 "spec": {"type": "ExternalName", "externalName": "outside.example"}}"""));
        Message response = await("ext.default.svc.cluster.local.", Type.A, false, answered());
        assertThat(texts(response)).containsExactly("CNAME outside.example.", "A 192.0.2.7");
    }

    @Test
    void largeAnswersAreTruncatedOverUdpAndWholeOverTcp() throws Exception {
        ADMIN.create(ResourceType.SERVICES, "default", object("""
                {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "many"},
                 "spec": {"clusterIP": "None", "ports": [{"name": "http", "port": 80}]}}"""));
        List<String> endpoints = new ArrayList<>();
        for (int i = 1; i <= 120; i++) {
            endpoints.add("{\"addresses\": [\"10.244.50." + i + "\"], \"conditions\": {\"ready\": true}}");
        }
        ADMIN.create(ResourceType.ENDPOINT_SLICES, "default", object("""
                {"apiVersion": "discovery.k8s.io/v1", "kind": "EndpointSlice",
                 "metadata": {"name": "many-1", "labels": {"kubernetes.io/service-name": "many"}},
                 "addressType": "IPv4", "endpoints": [%s],
                 "ports": [{"name": "http", "protocol": "TCP", "port": 80}]}""".formatted(String.join(",", endpoints))));
        Message whole = await("many.default.svc.cluster.local.", Type.A, true,
                response -> response.getSection(Section.ANSWER).size() == 120);
        assertThat(whole.getHeader().getFlag(Flags.TC)).isFalse();

        SimpleResolver udp = resolver(false);
        udp.setIgnoreTruncation(true);
        Message truncated = udp.send(question("many.default.svc.cluster.local.", Type.A));
        assertThat(truncated.getHeader().getFlag(Flags.TC)).isTrue();
        assertThat(truncated.numBytes()).isLessThanOrEqualTo(QueryHandler.EDNS_PAYLOAD);
    }

    @Test
    void aFailingUpstreamIsAnsweredServfail() throws Exception {
        InetSocketAddress silent;
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            silent = (InetSocketAddress) socket.getLocalSocketAddress(); // closed below: nothing answers there
        }
        DnsSettings settings = new DnsSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                DnsSettings.DEFAULT_ZONE, List.of(silent), DnsSettings.DEFAULT_TTL, PodRecords.INSECURE,
                Duration.ofMillis(300));
        try (ClusterDns failing = ClusterDns.start(ADMIN, settings, "servfail-test", Clock.systemUTC())) {
            Message response = new SimpleResolver(failing.address()).send(question("outside.example.", Type.A));
            assertThat(Rcode.string(response.getRcode())).isEqualTo("SERVFAIL");
        }
    }

    @Test
    void verifiedPodRecordsNeedTheRunningPod() throws Exception {
        ADMIN.create(ResourceType.PODS, "default", object("""
                {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "verified"},
                 "spec": {"nodeName": "%s", "containers": [{"name": "c", "image": "busybox"}]}}""".formatted(NODE)));
        String podIp = awaitPodIp("verified");
        DnsSettings settings = new DnsSettings(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                DnsSettings.DEFAULT_ZONE, List.of(upstream.address()), DnsSettings.DEFAULT_TTL, PodRecords.VERIFIED,
                Duration.ofSeconds(2));
        // every pod is more than a node may watch: this one runs as an administrator, as CoreDNS runs as its own
        try (ClusterDns verified = ClusterDns.start(ADMIN, settings, "verified-test", Clock.systemUTC())) {
            assertThat(verified.awaitSynced(DEADLINE)).isTrue();
            SimpleResolver resolver = new SimpleResolver(verified.address());
            Message known = resolver.send(question(podIp.replace('.', '-') + ".default.pod.cluster.local.", Type.A));
            assertThat(texts(known)).containsExactly("A " + podIp);
            Message elsewhere = resolver.send(question(podIp.replace('.', '-') + ".kube-system.pod.cluster.local.",
                    Type.A));
            assertThat(Rcode.string(elsewhere.getRcode())).isEqualTo("NXDOMAIN");
            Message unknown = resolver.send(question("10-244-200-1.default.pod.cluster.local.", Type.A));
            assertThat(Rcode.string(unknown.getRcode())).isEqualTo("NXDOMAIN");
        }
    }

    private static String awaitPodIp(String name) throws InterruptedException {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            String ip = ADMIN.get(ResourceType.PODS, "default", name).map(pod -> pod.path("status").path("podIP")
                    .asText("")).orElse("");
            if (!ip.isEmpty()) {
                return ip;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("pod " + name + " got no IP");
    }

    private static Predicate<Message> answered() {
        return response -> !response.getSection(Section.ANSWER).isEmpty();
    }

    /** Asks until the response satisfies {@code condition} (the informers follow the API a moment later). */
    private static Message await(String name, int type, boolean tcp, Predicate<Message> condition) throws Exception {
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        Message response = query(name, type, tcp);
        while (!condition.test(response)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " " + Type.string(type) + " did not get there: " + response);
            }
            Thread.sleep(20);
            response = query(name, type, tcp);
        }
        return response;
    }

    private static Message query(String name, int type, boolean tcp) throws IOException {
        return resolver(tcp).send(question(name, type));
    }

    private static SimpleResolver resolver(boolean tcp) {
        SimpleResolver resolver = new SimpleResolver(dns);
        resolver.setTCP(tcp);
        resolver.setTimeout(Duration.ofSeconds(5));
        return resolver;
    }

    private static Message question(String name, int type) {
        return Message.newQuery(Record.newRecord(Name.fromConstantString(name), type, DClass.IN));
    }

    private static List<String> texts(Message response) {
        return response.getSection(Section.ANSWER).stream()
                .map(record -> Type.string(record.getType()) + " " + record.rdataToString()).toList();
    }
}
