package dev.kumo.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.node.dns.ClusterDns;
import dev.kumo.node.dns.DnsSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Optional;

/**
 * The real nodes' cluster DNS, as kubeadm's CoreDNS addon is laid out: the Service {@code kube-system/kube-dns} on
 * {@value #CLUSTER_DNS_IP} (the address every node gives its pods, the kubelet's {@code --cluster-dns}), ports 53/UDP
 * {@code dns} and 53/TCP {@code dns-tcp}, and its endpoint, one server ({@link ClusterDns}) that this JVM runs on the
 * host's address on the node network. The Service has no selector: its EndpointSlice is written here, pointing at
 * that address, and each node's service proxy carries pods' queries to it like any Service traffic.
 *
 * <p>One server for the cluster rather than one per node: the agents are threads of this JVM, whose sockets live in
 * the host's network namespace, and the host's address is the one every node reaches.
 */
final class ClusterDnsAddon implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDnsAddon.class);
    /** kubeadm's choice: the tenth address of the service CIDR. */
    static final String CLUSTER_DNS_IP = "10.96.0.10";
    static final String NAMESPACE = "kube-system";
    static final String SERVICE = "kube-dns";
    private static final String SLICE = "kube-dns-local";
    private static final String MANAGED_BY = "kumo-local-cluster";
    private static final int PORT = 53;

    private final ClusterDns server;

    private ClusterDnsAddon(ClusterDns server) {
        this.server = server;
    }

    /** Serves cluster DNS on {@code hostAddress}:53 and publishes it as the kube-dns Service. */
    static ClusterDnsAddon start(KubeClient admin, String hostAddress) throws IOException, InterruptedException {
        ClusterDns server = ClusterDns.start(admin,
                DnsSettings.of(new InetSocketAddress(InetAddress.getByName(hostAddress), PORT)), "cluster-dns",
                Clock.systemUTC());
        try {
            ensureService(admin);
            replaceSlice(admin, hostAddress);
            return new ClusterDnsAddon(server);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private static void ensureService(KubeClient admin) {
        ObjectNode service = admin.mapper().createObjectNode();
        ObjectNode metadata = service.putObject("metadata").put("name", SERVICE).put("namespace", NAMESPACE);
        metadata.putObject("labels").put("k8s-app", "kube-dns").put("kubernetes.io/name", "CoreDNS")
                .put("kubernetes.io/cluster-service", "true");
        ObjectNode spec = service.putObject("spec").put("clusterIP", CLUSTER_DNS_IP).put("type", "ClusterIP");
        ports(spec.putArray("ports"), true);
        service.put("apiVersion", "v1").put("kind", "Service");
        // read first: a second create fails on its cluster IP (422, already allocated) before its name
        Optional<ObjectNode> existing = admin.get(ResourceType.SERVICES, NAMESPACE, SERVICE);
        if (existing.isEmpty()) {
            try {
                admin.create(ResourceType.SERVICES, NAMESPACE, service);
                return;
            } catch (ApiError e) {
                if (e.code() != 409) {
                    throw e;
                }
                existing = admin.get(ResourceType.SERVICES, NAMESPACE, SERVICE);
            }
        }
        String ip = existing.orElseThrow().path("spec").path("clusterIP").asText();
        if (!ip.equals(CLUSTER_DNS_IP)) {
            throw new IllegalStateException(NAMESPACE + "/" + SERVICE + " exists with cluster IP " + ip + ", not "
                    + CLUSTER_DNS_IP + " which the nodes give their pods; delete it and start again");
        }
    }

    /** The slice naming the server; written again at every start (the host address is the node network's). */
    private static void replaceSlice(KubeClient admin, String hostAddress) {
        ObjectNode slice = admin.mapper().createObjectNode();
        slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice").put("addressType", "IPv4");
        slice.putObject("metadata").put("name", SLICE).put("namespace", NAMESPACE).putObject("labels")
                .put("kubernetes.io/service-name", SERVICE)
                .put("endpointslice.kubernetes.io/managed-by", MANAGED_BY);
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(hostAddress);
        endpoint.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        ports(slice.putArray("ports"), false);
        admin.delete(ResourceType.ENDPOINT_SLICES, NAMESPACE, SLICE, null, null);
        admin.create(ResourceType.ENDPOINT_SLICES, NAMESPACE, slice);
        LOG.atInfo().addKeyValue("service", NAMESPACE + "/" + SERVICE).addKeyValue("clusterIP", CLUSTER_DNS_IP)
                .addKeyValue("endpoint", hostAddress + ":" + PORT).log("cluster DNS published");
    }

    /** dns 53/UDP and dns-tcp 53/TCP; a Service's carry targetPort. */
    private static void ports(ArrayNode ports, boolean service) {
        for (String[] port : new String[][] {{"dns", "UDP"}, {"dns-tcp", "TCP"}}) {
            ObjectNode entry = ports.addObject().put("name", port[0]).put("protocol", port[1]).put("port", PORT);
            if (service) {
                entry.put("targetPort", PORT);
            }
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
