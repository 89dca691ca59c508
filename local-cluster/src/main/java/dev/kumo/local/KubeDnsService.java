package dev.kumo.local;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.client.ApiError;
import dev.kumo.apimachinery.client.KubeClient;
import dev.kumo.apimachinery.client.ResourceType;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * The Service {@code kube-system/kube-dns} of the local cluster's cri nodes, as kubeadm lays out CoreDNS's: cluster
 * IP {@value #CLUSTER_DNS_IP}, ports 53/UDP {@code dns} and 53/TCP {@code dns-tcp}. Each node's agent serves cluster
 * DNS itself (its pods' nameserver is the node's own address); the Service is there for what looks it up (a
 * resolver configured with 10.96.0.10, {@code kube-dns.kube-system.svc}, charts that read its cluster IP,
 * {@code kubectl cluster-info}) and its endpoints are those servers. It has no selector: every node's server gets an
 * EndpointSlice of its own, {@code kube-dns-<node>}, written when it serves and deleted when the node's agent
 * stops, naming where it listens: the node's address, port 53 (each agent is a process in its node's namespace).
 */
final class KubeDnsService {
    private static final Logger LOG = LoggerFactory.getLogger(KubeDnsService.class);
    /** kubeadm's choice: the tenth address of the service CIDR. */
    static final String CLUSTER_DNS_IP = "10.96.0.10";
    static final String NAMESPACE = "kube-system";
    static final String SERVICE = "kube-dns";
    private static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
    private static final String MANAGED_BY = "kumo-local-cluster";
    private static final int PORT = 53;

    private final KubeClient admin;

    private KubeDnsService(KubeClient admin) {
        this.admin = admin;
    }

    /**
     * Makes sure the Service is there and removes the slices an earlier run left (their servers are gone with it).
     */
    static KubeDnsService ensure(KubeClient admin) {
        ensureService(admin);
        for (ObjectNode slice : admin.list(ResourceType.ENDPOINT_SLICES, NAMESPACE,
                SERVICE_NAME_LABEL + "=" + SERVICE + "," + MANAGED_BY_LABEL + "=" + MANAGED_BY, "")) {
            admin.delete(ResourceType.ENDPOINT_SLICES, NAMESPACE, Meta.name(slice), null, null);
            LOG.atInfo().addKeyValue("endpointSlice", NAMESPACE + "/" + Meta.name(slice))
                    .log("removed a cluster DNS endpoint of an earlier run");
        }
        return new KubeDnsService(admin);
    }

    private static void ensureService(KubeClient admin) {
        ObjectNode service = admin.mapper().createObjectNode();
        ObjectNode metadata = service.putObject("metadata").put("name", SERVICE).put("namespace", NAMESPACE);
        metadata.putObject("labels").put("k8s-app", "kube-dns").put("kubernetes.io/name", "CoreDNS")
                .put("kubernetes.io/cluster-service", "true");
        ObjectNode spec = service.putObject("spec").put("clusterIP", CLUSTER_DNS_IP).put("type", "ClusterIP");
        ports(spec.putArray("ports"), PORT, true);
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
                    + CLUSTER_DNS_IP + "; delete it and start again");
        }
    }

    /** Names node {@code node}'s server, listening on {@code server}, among the Service's endpoints. */
    void publish(String node, InetSocketAddress server) {
        ObjectNode slice = admin.mapper().createObjectNode();
        slice.put("apiVersion", "discovery.k8s.io/v1").put("kind", "EndpointSlice").put("addressType", "IPv4");
        slice.putObject("metadata").put("name", sliceName(node)).put("namespace", NAMESPACE).putObject("labels")
                .put(SERVICE_NAME_LABEL, SERVICE).put(MANAGED_BY_LABEL, MANAGED_BY);
        ObjectNode endpoint = slice.putArray("endpoints").addObject();
        endpoint.putArray("addresses").add(server.getAddress().getHostAddress());
        endpoint.putObject("conditions").put("ready", true).put("serving", true).put("terminating", false);
        endpoint.put("nodeName", node);
        ports(slice.putArray("ports"), server.getPort(), false);
        admin.delete(ResourceType.ENDPOINT_SLICES, NAMESPACE, sliceName(node), null, null);
        admin.create(ResourceType.ENDPOINT_SLICES, NAMESPACE, slice);
        LOG.atInfo().addKeyValue("service", NAMESPACE + "/" + SERVICE).addKeyValue("node", node)
                .addKeyValue("endpoint", server.getAddress().getHostAddress() + ":" + server.getPort())
                .log("node's cluster DNS published");
    }

    /** Takes node {@code node}'s server out of the Service's endpoints; one that is not there is no error. */
    void withdraw(String node) {
        if (admin.delete(ResourceType.ENDPOINT_SLICES, NAMESPACE, sliceName(node), null, null)) {
            LOG.atInfo().addKeyValue("service", NAMESPACE + "/" + SERVICE).addKeyValue("node", node)
                    .log("node's cluster DNS withdrawn");
        }
    }

    private static String sliceName(String node) {
        return SERVICE + "-" + node;
    }

    /** dns {@code port}/UDP and dns-tcp {@code port}/TCP; a Service's carry targetPort. */
    private static void ports(ArrayNode ports, int port, boolean service) {
        for (String[] named : new String[][] {{"dns", "UDP"}, {"dns-tcp", "TCP"}}) {
            ObjectNode entry = ports.addObject().put("name", named[0]).put("protocol", named[1]).put("port", port);
            if (service) {
                entry.put("targetPort", port);
            }
        }
    }
}
