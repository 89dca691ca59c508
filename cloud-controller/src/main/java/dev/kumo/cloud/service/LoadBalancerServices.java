package dev.kumo.cloud.service;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kumo.apimachinery.meta.Meta;
import dev.kumo.cloud.LoadBalancerRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the service controller reads from a Service, after cloud-provider's {@code service/helpers} and the
 * controller's {@code wantsLoadBalancer} / {@code needsCleanup}.
 */
final class LoadBalancerServices {
    /** The finalizer that keeps a Service until its load balancer is gone. */
    static final String CLEANUP_FINALIZER = "service.kubernetes.io/load-balancer-cleanup";
    /**
     * kumo's own {@code spec.loadBalancerClass}: a Service naming it is served like one naming none. Any other class
     * belongs to another controller.
     */
    static final String LOAD_BALANCER_CLASS = "kumo.dev/load-balancer";
    /** cloud-provider's limit on generated load balancer names. */
    private static final int NAME_LENGTH = 32;

    private LoadBalancerServices() {
    }

    /** {@code type: LoadBalancer} with no class or kumo's. */
    static boolean wantsLoadBalancer(JsonNode service) {
        JsonNode spec = service.path("spec");
        String lbClass = spec.path("loadBalancerClass").asText("");
        return spec.path("type").asText().equals("LoadBalancer")
                && (lbClass.isEmpty() || lbClass.equals(LOAD_BALANCER_CLASS));
    }

    static boolean hasFinalizer(JsonNode service) {
        for (JsonNode finalizer : service.path("metadata").path("finalizers")) {
            if (finalizer.asText().equals(CLEANUP_FINALIZER)) {
                return true;
            }
        }
        return false;
    }

    /** The finalizer is there and the Service is being deleted or no longer wants a load balancer. */
    static boolean needsCleanup(JsonNode service) {
        return hasFinalizer(service) && (Meta.isBeingDeleted(service) || !wantsLoadBalancer(service));
    }

    /** cloud-provider's {@code GetLoadBalancerName}: "a" and the uid without dashes, cut to 32 characters. */
    static String loadBalancerName(JsonNode service) {
        String name = ("a" + Meta.uid(service)).replace("-", "");
        return name.length() > NAME_LENGTH ? name.substring(0, NAME_LENGTH) : name;
    }

    static String key(JsonNode service) {
        return Meta.namespace(service) + "/" + Meta.name(service);
    }

    /** The Service's annotations: provider settings (an NLB's scheme), and a change to them is a reason to ensure. */
    static Map<String, String> annotations(JsonNode service) {
        Map<String, String> annotations = new TreeMap<>();
        service.path("metadata").path("annotations").properties()
                .forEach(entry -> annotations.put(entry.getKey(), entry.getValue().asText()));
        return annotations;
    }

    /** One load balancer port per Service port, forwarding to its NodePort. */
    static List<LoadBalancerRequest.Port> ports(JsonNode service) {
        List<LoadBalancerRequest.Port> ports = new ArrayList<>();
        for (JsonNode port : service.path("spec").path("ports")) {
            ports.add(new LoadBalancerRequest.Port(port.path("name").asText(""), port.path("protocol").asText("TCP"),
                    port.path("port").asInt(), port.path("nodePort").asInt(0)));
        }
        return ports;
    }
}
