package dev.kumo.controllers.endpoints;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kumo.apimachinery.meta.Meta;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;

/**
 * What the endpoints controllers read from a pod (the helpers of {@code k8s.io/endpointslice/util}): its addresses,
 * readiness, whether it is terminal or terminating, its node, hostname and subdomain, and its named ports.
 */
public record EndpointPod(ObjectNode object, String namespace, String name, String uid, String nodeName,
                          String hostname, String subdomain, List<String> ips, boolean ready, Instant readyTransition,
                          boolean terminal, boolean terminating) {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointPod.class);

    public static EndpointPod of(ObjectNode pod) {
        JsonNode spec = pod.path("spec");
        JsonNode status = pod.path("status");
        List<String> ips = new ArrayList<>();
        status.path("podIPs").forEach(ip -> {
            if (!ip.path("ip").asText("").isEmpty()) {
                ips.add(ip.path("ip").asText());
            }
        });
        if (ips.isEmpty() && !status.path("podIP").asText("").isEmpty()) {
            ips.add(status.path("podIP").asText()); // podIPs mirrors podIP; a writer may have set only podIP
        }
        boolean ready = false;
        Instant readyTransition = null;
        for (JsonNode condition : status.path("conditions")) {
            if (condition.path("type").asText().equals("Ready")) {
                ready = condition.path("status").asText().equals("True");
                String time = condition.path("lastTransitionTime").asText("");
                readyTransition = time.isEmpty() ? null : Instant.parse(time);
            }
        }
        String phase = status.path("phase").asText("");
        return new EndpointPod(pod, Meta.namespace(pod), Meta.name(pod), Meta.uid(pod),
                spec.path("nodeName").asText(""), spec.path("hostname").asText(""),
                spec.path("subdomain").asText(""), List.copyOf(ips), ready, readyTransition,
                phase.equals("Succeeded") || phase.equals("Failed"), Meta.isBeingDeleted(pod));
    }

    /** The reference to this pod that its addresses and endpoints carry. */
    public EndpointSubsets.TargetRef targetRef() {
        return new EndpointSubsets.TargetRef("Pod", namespace, name, uid);
    }

    /** Whether a pod change can matter to endpoints at all: a pod that never had an address was never listed. */
    public static boolean hasAddress(JsonNode pod) {
        JsonNode status = pod.path("status");
        return !status.path("podIP").asText("").isEmpty() || !status.path("podIPs").isEmpty();
    }

    /**
     * {@code ShouldPodBeInEndpoints}: not terminal, has an address, and not terminating unless
     * {@code includeTerminating}.
     */
    public boolean belongsInEndpoints(boolean includeTerminating) {
        return !terminal && !ips.isEmpty() && (includeTerminating || !terminating);
    }

    /**
     * The hostname the pod's address or endpoint carries for {@code service}: the pod's own when it names this
     * (headless) service as its subdomain ({@code ShouldSetHostname}), else empty.
     */
    public String hostnameFor(ServiceInfo service) {
        return !hostname.isEmpty() && subdomain.equals(service.name()) && namespace.equals(service.namespace())
                ? hostname : "";
    }

    /** The pod's first address of the family ({@code IPv4} or {@code IPv6}), or empty. */
    public String ipOf(String family) {
        return ipsOf(family).stream().findFirst().orElse("");
    }

    public List<String> ipsOf(String family) {
        boolean v6 = family.equals("IPv6");
        return ips.stream().filter(ip -> ip.contains(":") == v6).toList();
    }

    /**
     * kube's {@code getEndpointPorts}: each of the service's ports that the pod offers, resolved on the pod
     * ({@link #findPort}); a named target port the pod has no container port for is left out.
     */
    public List<EndpointSubsets.Port> portsFor(ServiceInfo service) {
        List<EndpointSubsets.Port> ports = new ArrayList<>();
        for (ServicePort servicePort : service.ports()) {
            OptionalInt number = findPort(servicePort);
            if (number.isEmpty()) {
                LOG.atDebug().addKeyValue("service", service.namespace() + "/" + service.name())
                        .addKeyValue("pod", name).addKeyValue("port", servicePort.targetName())
                        .log("no container port of that name: the pod offers none for this service port");
                continue;
            }
            ports.add(new EndpointSubsets.Port(servicePort.name(), number.getAsInt(), servicePort.protocol(),
                    servicePort.appProtocol()));
        }
        return ports;
    }

    /**
     * {@code FindPort}: a numeric target port as is; a named one is the container port of that name and protocol,
     * in the containers or the sidecars (init containers that always restart); empty when the pod has none.
     */
    public OptionalInt findPort(ServicePort port) {
        if (!port.targetsName()) {
            return OptionalInt.of(port.targetNumber());
        }
        JsonNode spec = object.path("spec");
        OptionalInt found = namedPort(spec.path("containers"), port, false);
        return found.isPresent() ? found : namedPort(spec.path("initContainers"), port, true);
    }

    private static OptionalInt namedPort(JsonNode containers, ServicePort port, boolean sidecarsOnly) {
        for (JsonNode container : containers) {
            if (sidecarsOnly && !container.path("restartPolicy").asText("").equals("Always")) {
                continue;
            }
            for (JsonNode containerPort : container.path("ports")) {
                if (containerPort.path("name").asText("").equals(port.targetName())
                        && containerPort.path("protocol").asText("TCP").equals(port.protocol())) {
                    return OptionalInt.of(containerPort.path("containerPort").asInt());
                }
            }
        }
        return OptionalInt.empty();
    }
}
